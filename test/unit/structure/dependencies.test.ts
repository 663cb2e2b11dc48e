// The house's shape, checked: folders of src/ depend on each other one way only, and the model depends on nothing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../../src");

/** sourceFiles lists the server's .ts files (the console's front end is its own program). */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "console" ? [] : sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** folderOf names the top-level folder of src/ a file is in ("." for src/app.ts, main.ts …). */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split("/");
  return parts.length > 1 ? (parts[0] as string) : ".";
}

/** edges maps each folder to the other folders its files import from. */
function edges(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of sourceFiles()) {
    const from = folderOf(file);
    for (const m of readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"|import\("(\.[^"]+)"\)/g)) {
      const to = folderOf(normalize(join(dirname(file), (m[1] ?? m[2]) as string)));
      if (to === from) continue;
      if (!out.has(from)) out.set(from, new Set());
      out.get(from)?.add(to);
    }
  }
  return out;
}

/** cycleFrom finds a path of folder imports that leads from `start` back to it. */
function cycleFrom(graph: Map<string, Set<string>>, start: string): string[] | undefined {
  const walk = (node: string, path: string[]): string[] | undefined => {
    for (const next of graph.get(node) ?? []) {
      if (next === start) return [...path, next];
      if (!path.includes(next)) {
        const found = walk(next, [...path, next]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(start, [start]);
}

describe("dependencies between the folders of src/", () => {
  const graph = edges();

  it("go one way: no folder imports, through any others, from a folder that imports it", () => {
    const cycles = [...graph.keys()].map((f) => cycleFrom(graph, f)).filter((c) => c !== undefined);
    expect(cycles.map((c) => c.join(" → "))).toEqual([]);
  });

  it("leave the model and shared helpers standing alone", () => {
    expect([...(graph.get("model") ?? [])]).toEqual([]);
    expect([...(graph.get("shared") ?? [])].filter((f) => f !== "model")).toEqual([]);
  });

  it("let only app.ts (and the CLI entry) wire the pipeline's stages together", () => {
    const stages = ["ingest", "evaluate", "alerts", "route", "notify"];
    for (const [from, tos] of graph) {
      if (from === ".") continue;
      // A stage may use the model, shared helpers, rules, catalog, config and the stage before it: never a later one.
      const at = stages.indexOf(from);
      if (at < 0) continue;
      const later = [...tos].filter((to) => stages.indexOf(to) > at);
      expect(later, `${from} imports a later stage`).toEqual([]);
    }
  });
});
