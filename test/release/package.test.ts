// The production install: `npm pack` of a clean copy, `npm install --omit=dev` of the tarball in an empty
// directory, then the installed `waba-alerts` as an operator runs it (version, validate, rule tests, start).
import { randomUUID } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageInfo } from "../../src/shared/version.js";
import { deleteRedisPrefix, freePort, REPO, SECRET, waitFor } from "../helpers/engine.js";
import { answers, cleanCopy, emlFiles, fireSpamAlert, sh, startUntil } from "../helpers/release.js";

describe("npm pack, then npm install --omit=dev of the tarball", () => {
  const work = mkdtempSync(join(tmpdir(), "waba-pack-"));
  const app = join(work, "app");
  const prefix = `test-pack-${randomUUID().slice(0, 8)}`;
  const timings: string[] = [];
  let files: string[] = [];

  beforeAll(async () => {
    const src = join(work, "src");
    await cleanCopy(src);
    // The checkout's dev dependencies build the tarball (prepack); nothing of them may reach the install.
    symlinkSync(join(REPO, "node_modules"), join(src, "node_modules"), "dir");
    let t = Date.now();
    const pack = await sh(["npm", "pack", "--json", "--pack-destination", work], {
      cwd: src,
      timeoutMs: 240_000,
    });
    expect(pack.code, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    files = info!.files.map((f) => f.path);
    timings.push(`npm pack (clean build) ${Date.now() - t} ms`);

    mkdirSync(app);
    t = Date.now();
    const install = await sh(
      ["npm", "install", "--omit=dev", "--no-audit", "--no-fund", join(work, info!.filename)],
      { cwd: app, timeoutMs: 240_000 },
    );
    expect(install.code, install.stderr).toBe(0);
    timings.push(`npm install --omit=dev ${Date.now() - t} ms`);
  }, 8 * 60_000);

  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    rmSync(work, { recursive: true, force: true });
    process.stdout.write(`package check timings:\n- ${timings.join("\n- ")}\n`);
  });

  const npx = (args: string[], cwd = app) => sh(["npx", "--no-install", "waba-alerts", ...args], { cwd });

  it("packs the built engine and what it reads, and nothing of the development tree", () => {
    for (const need of [
      "bin/waba-alerts.js",
      "dist/main.js",
      "dist/app.js",
      "config.example.yaml",
      "rules/delivery.yaml",
      "schema/rules.schema.json",
      "LICENSE",
      "README.md",
      "package.json",
    ])
      expect(files, need).toContain(need);
    const unwanted = files.filter((f) =>
      /(^|\/)(test|src|bench|scripts|\.ci|node_modules)\/|tsbuildinfo|\.map$|\.build-stamp|\.test\.ts$/.test(
        f,
      ),
    );
    expect(unwanted).toEqual([]);
  });

  it("npm ci --omit=dev in a clean copy of the checkout installs, and says it did not build", async () => {
    const copy = join(work, "omit-dev");
    await cleanCopy(copy);
    const t = Date.now();
    const ci = await sh(["npm", "ci", "--omit=dev", "--no-audit", "--no-fund"], {
      cwd: copy,
      timeoutMs: 240_000,
    });
    timings.push(`npm ci --omit=dev of the checkout ${Date.now() - t} ms`);
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.stderr).toMatch(/dist\/ was not built: the dev dependencies \(TypeScript\) are not installed/);
    expect(existsSync(join(copy, "dist", "main.js"))).toBe(false);
  }, 240_000);

  it("installs without dev dependencies", () => {
    const modules = join(app, "node_modules");
    expect(existsSync(join(modules, "waba-alerts", "dist", "main.js"))).toBe(true);
    for (const dev of ["typescript", "vitest", "tsx", "@biomejs/biome", "smtp-server", "mailparser"])
      expect(existsSync(join(modules, dev)), dev).toBe(false);
  });

  it("answers --version, validates the packaged config and rules, and passes the shipped rule tests", async () => {
    const version = await npx(["--version"]);
    expect(version.stdout.trim()).toBe(packageInfo().version);
    // An empty directory: no config.yaml, so the package's own config.example.yaml and rules are used.
    const valid = await npx(["validate"]);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(/^ok: config .*node_modules\/waba-alerts\/config\.example\.yaml/);
    const ruleTests = await npx(["test", "node_modules/waba-alerts/rules"]);
    expect(ruleTests.code, ruleTests.stdout + ruleTests.stderr).toBe(0);
  });

  it("starts from the installed tree within 3 s, fires an alert, and stops on SIGTERM", async () => {
    const port = await freePort();
    writeFileSync(
      join(app, "config.yaml"),
      `server: { host: 127.0.0.1, port: ${port} }
redis: { url: "redis://127.0.0.1:6379", prefix: ${prefix} }
whatsapp: { app_secret: ${SECRET}, verify_token: pack-test }
rules: { paths: [node_modules/waba-alerts/rules], watch: false }
email: { outbox: ./outbox }
channels: { ops: { type: email, to: [ops@example.com] } }
log: { format: json }
`,
    );
    const bin = join(app, "node_modules", ".bin", "waba-alerts");
    const start = () =>
      startUntil([bin, "start"], { cwd: app, ready: () => answers(`http://127.0.0.1:${port}/healthz`) });
    // Best of three, as for npm start: one slow start on a shared machine says little.
    const times: number[] = [];
    while (times.length < 3 && !times.some((t) => t < 3000)) {
      const t0 = Date.now();
      const probe = await start();
      times.push(Date.now() - t0);
      await probe.stop();
    }
    timings.push(`installed start listened after ${times.join(", ")} ms`);
    expect(Math.min(...times)).toBeLessThan(3000);
    const engine = await start();
    try {
      await waitFor(
        async () => ((await answers(`http://127.0.0.1:${port}/readyz`)) ? true : undefined),
        5000,
      );
      expect(await fireSpamAlert(port)).toBe(200);
      await waitFor(
        async () => (emlFiles(join(app, "outbox")).length === 1 ? true : undefined),
        15_000,
        "the email",
      );
      expect(readFileSync(join(app, "outbox", emlFiles(join(app, "outbox"))[0]!), "utf8")).toContain(
        "131048",
      );
    } finally {
      expect(await engine.stop()).toBe(0);
    }
  }, 60_000);
});
