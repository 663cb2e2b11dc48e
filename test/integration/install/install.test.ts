// The checkout as a user meets it: `waba-alerts --version`, what `npm pack` would ship, and `npm start` that
// listens within 3 s once built (no compile on every start).
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineDir, makeEngineDir, REPO } from "../../helpers/engine.js";
import { answers, sh } from "../../helpers/release.js";

const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };

describe("install paths", () => {
  beforeAll(async () => {
    // What `npm install` (prepare) leaves: a build no older than the sources.
    const built = await sh(["node", "scripts/ensure-built.mjs"], { cwd: REPO, timeoutMs: 180_000 });
    expect(built.code, built.stderr).toBe(0);
  }, 200_000);

  it("waba-alerts --version prints the package version", async () => {
    for (const flag of ["--version", "-v"]) {
      const r = await sh(["node", "bin/waba-alerts.js", flag], { cwd: REPO });
      expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    }
  });

  it("npm pack ships the built engine, rules, schemas and docs, and no tsbuildinfo, maps, sources or tests", async () => {
    const r = await sh(["npm", "pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO });
    expect(r.code, r.stderr).toBe(0);
    const [info] = JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path);
    for (const need of [
      "bin/waba-alerts.js",
      "dist/main.js",
      "dist/app.js",
      "dist/app/server.js",
      "config.example.yaml",
      "rules/delivery.yaml",
      "schema/config.schema.json",
      "LICENSE",
      "README.md",
      "CHANGELOG.md",
    ])
      expect(files, need).toContain(need);
    expect(files.filter((f) => /tsbuildinfo|\.map$|\.build-stamp/.test(f))).toEqual([]);
    expect(files.filter((f) => /^(src|test|bench|scripts|examples|docs|\.ci)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /\.test\.[jt]s$/.test(f))).toEqual([]);
  });

  describe("npm start", () => {
    let dir: EngineDir;
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      dir = await makeEngineDir();
    });

    afterAll(async () => {
      for (const c of children.filter((x) => x.exitCode === null && x.signalCode === null && x.pid))
        process.kill(-c.pid!, "SIGKILL");
      await dir?.remove();
    });

    /** startOnce runs `npm start` (its own process group) until /healthz answers; resolves to the milliseconds taken. */
    async function startOnce(): Promise<number> {
      const t0 = Date.now();
      const child = spawn("npm", ["start"], {
        cwd: REPO,
        env: { ...process.env, WABA_ALERTS_CONFIG: dir.config },
        stdio: "ignore",
        detached: true,
      });
      children.push(child);
      const exited = new Promise((done) => child.once("exit", done));
      try {
        for (;;) {
          if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
          if (await answers(`http://127.0.0.1:${dir.port}/healthz`)) return Date.now() - t0;
          if (Date.now() - t0 > 60_000) throw new Error("npm start did not listen within 60 s");
          await new Promise((r) => setTimeout(r, 25));
        }
      } finally {
        if (child.pid && child.exitCode === null && child.signalCode === null)
          process.kill(-child.pid, "SIGTERM");
        await exited;
      }
    }

    it("listens within 3 s on a built tree", async () => {
      // Best of three: the machine is shared, and one slow start under someone else's load says little;
      // a start that compiled would take 10-30 s every time.
      const times: number[] = [];
      for (let i = 0; i < 3 && !times.some((t) => t < 3000); i++) times.push(await startOnce());
      process.stdout.write(`npm start listened after ${times.join(", ")} ms\n`);
      expect(Math.min(...times)).toBeLessThan(3000);
    }, 120_000);
  });
});
