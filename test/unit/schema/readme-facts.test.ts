// README's fact table names every fact a rule may use, so admins never meet a fact the docs do not explain.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KNOWN_FACTS } from "../../../src/rules/facts.js";

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");

describe("README event facts", () => {
  it("lists every known fact in the fact table", () => {
    const start = readme.indexOf("### Event facts");
    const table = readme.slice(start, readme.indexOf("\n### ", start + 1));
    const named = new Set(
      [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) =>
        [...m[1]!.matchAll(/`([^`]+)`/g)].map((n) => n[1]),
      ),
    );
    expect(KNOWN_FACTS.filter((f) => !named.has(f))).toEqual([]);
  });
});
