// scripts/ensure-built.mjs (npm start, prepare): build only when a source is newer than the last build.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO } from "../../helpers/engine.js";
import { sh } from "../../helpers/release.js";

/** project makes a tiny tree with the real script and a `build` that counts its runs and stamps dist/. */
function project(opts: { compiler: boolean; nodeTypes?: boolean }): {
  dir: string;
  builds: () => number;
  run: (...a: string[]) => ReturnType<typeof sh>;
} {
  const dir = mkdtempSync(join(tmpdir(), "waba-ensure-built-"));
  mkdirSync(join(dir, "scripts"));
  mkdirSync(join(dir, "src"));
  copyFileSync(join(REPO, "scripts", "ensure-built.mjs"), join(dir, "scripts", "ensure-built.mjs"));
  writeFileSync(join(dir, "src", "main.ts"), "export {};\n");
  const build =
    "const f=require('fs');f.mkdirSync('dist',{recursive:true});f.appendFileSync('builds','x');" +
    "f.writeFileSync('dist/main.js','');f.writeFileSync('dist/.build-stamp','')";
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "t", version: "1.0.0", scripts: { build: `node -e "${build}"` } }),
  );
  const stub = (name: string) => {
    mkdirSync(join(dir, "node_modules", name), { recursive: true });
    writeFileSync(join(dir, "node_modules", name, "package.json"), `{"name":"${name}","main":"x.js"}`);
    writeFileSync(join(dir, "node_modules", name, "x.js"), "");
  };
  if (opts.compiler) stub("typescript");
  if (opts.compiler && opts.nodeTypes !== false) stub("@types/node");
  return {
    dir,
    builds: () => (existsSync(join(dir, "builds")) ? readFileSync(join(dir, "builds"), "utf8").length : 0),
    run: (...a) => sh(["node", "scripts/ensure-built.mjs", ...a], { cwd: dir, env: cleanEnv() }),
  };
}

/** cleanEnv is this process's environment without npm's own settings (a test may run under `npm test`). */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_")));
  return { ...env, NODE_ENV: "development", ...extra };
}

describe("ensure-built", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("builds a tree without a build, then not again until a source changes", async () => {
    const p = project({ compiler: true });
    dirs.push(p.dir);
    expect((await p.run()).code).toBe(0);
    expect(p.builds()).toBe(1);
    expect((await p.run()).code).toBe(0);
    expect(p.builds()).toBe(1);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(p.dir, "src", "main.ts"), later, later);
    const rebuilt = await p.run();
    expect(rebuilt.stderr).toContain("sources changed since the last build");
    expect(p.builds()).toBe(2);
  });

  it("never fails an install without TypeScript (--omit=dev), but npm start without a build says what to do", async () => {
    const p = project({ compiler: false });
    dirs.push(p.dir);
    const prepare = await p.run("--prepare");
    expect(prepare.code).toBe(0);
    expect(prepare.stderr).toMatch(/dev dependencies \(TypeScript\) are not installed.*npm pack/s);
    const start = await p.run();
    expect(start.code).toBe(1);
    expect(start.stderr).toMatch(
      /no build in dist\/ and the dev dependencies \(TypeScript\) are not installed/,
    );
    expect(p.builds()).toBe(0);
  });

  it("skips the build of `npm ci --omit=dev`, which leaves typescript (an optional peer) but not @types/node", async () => {
    const leftover = project({ compiler: true, nodeTypes: false });
    const flagged = project({ compiler: true });
    dirs.push(leftover.dir, flagged.dir);
    expect((await leftover.run("--prepare")).code).toBe(0);
    const omit = await sh(["node", "scripts/ensure-built.mjs", "--prepare"], {
      cwd: flagged.dir,
      env: cleanEnv({ npm_config_omit: "dev", NODE_ENV: "production" }),
    });
    expect(omit.code).toBe(0);
    expect(omit.stderr).toMatch(/--omit=dev/);
    expect([leftover.builds(), flagged.builds()]).toEqual([0, 0]);
  });

  it("does nothing in an installed package, which has dist/ but no sources", async () => {
    const p = project({ compiler: false });
    dirs.push(p.dir);
    rmSync(join(p.dir, "src"), { recursive: true });
    const r = await p.run();
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});
