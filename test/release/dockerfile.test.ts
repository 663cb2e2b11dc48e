// The Dockerfile, replayed outside a container (none can run here): build stage, prune, the final image's
// files, then its ENTRYPOINT/CMD against the local Redis with a mounted config, checked by its own HEALTHCHECK.
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageInfo } from "../../src/shared/version.js";
import { deleteRedisPrefix, freePort, REPO, SECRET, waitFor } from "../helpers/engine.js";
import { onThisMachine, parseDockerfile, type Replayed, replayDockerfile } from "../helpers/dockerfile.js";
import {
  answers,
  cleanCopy,
  emlFiles,
  fireSpamAlert,
  sh,
  type Started,
  startUntil,
} from "../helpers/release.js";

const CONFIG = "/etc/waba-alerts/config.yaml";

describe("Dockerfile replay", () => {
  const work = mkdtempSync(join(tmpdir(), "waba-docker-replay-"));
  const prefix = `test-docker-${randomUUID().slice(0, 8)}`;
  const notes: string[] = [];
  const running: Started[] = [];
  let image: Replayed;

  beforeAll(async () => {
    const context = join(work, "context");
    await cleanCopy(context);
    const started = Date.now();
    image = await replayDockerfile({
      dockerfile: join(context, "Dockerfile"),
      context,
      workdir: join(work, "image"),
    });
    notes.push(`build and prune replayed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 8 * 60_000);

  afterAll(async () => {
    for (const r of running) await r.stop(2000);
    await deleteRedisPrefix(prefix);
    rmSync(work, { recursive: true, force: true });
    if (notes.length)
      process.stdout.write(`dockerfile replay notes:\n- ${[...new Set(notes)].join("\n- ")}\n`);
  });

  /** command is the image's ENTRYPOINT with `args` (or its CMD) as it runs on this machine. */
  const command = (args?: string[]) =>
    onThisMachine(image, [...image.entrypoint, ...(args ?? image.cmd)], notes);
  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: image.map("/home/node"),
    ...image.env,
    ...extra,
  });
  const healthcheck = async (url: string) => {
    const argv = onThisMachine(image, image.healthcheck?.cmd ?? ["false"], notes);
    const r = await sh(argv, { cwd: image.workdir, env: env({ HEALTHCHECK_URL: url }), timeoutMs: 10_000 });
    return r.code === 0;
  };

  it("is a multi-stage build that prunes dev dependencies and runs as a non-root user behind tini", () => {
    const { stages } = parseDockerfile(readFileSync(join(REPO, "Dockerfile"), "utf8"));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0]!.steps.filter((s) => s.op === "RUN").map((s) => s.args);
    expect(build.some((r) => /npm run build\b/.test(r) && /npm prune --omit=dev/.test(r))).toBe(true);
    expect(image.user).toBeDefined();
    expect(["root", "0"]).not.toContain(image.user);
    expect(image.entrypoint.slice(0, 2)).toEqual(["tini", "--"]);
    expect(image.healthcheck?.cmd.join(" ")).toContain("HEALTHCHECK_URL");
    expect(image.env.HEALTHCHECK_URL).toMatch(/\/healthz$/);
    expect(image.exposed).toEqual(expect.arrayContaining(["8080", "9464"]));
    // Only steps that need a real image (a Debian package, a chown) are left out, each with its reason.
    expect(image.skipped.every((s) => /apt-get|chown/.test(s))).toBe(true);
    notes.push(...image.skipped.map((s) => `skipped ${s}`), ...image.notes);
  });

  it("holds the built engine with production dependencies only", () => {
    const modules = image.map("/app/node_modules");
    for (const dep of Object.keys(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).dependencies))
      expect(existsSync(join(modules, dep)), dep).toBe(true);
    // typescript itself stays: valibot (under @bull-board/api) names it as an optional peer, which npm keeps.
    for (const dev of [
      "vitest",
      "@biomejs/biome",
      "tsx",
      "smtp-server",
      "mailparser",
      "fast-check",
      "autocannon",
    ])
      expect(existsSync(join(modules, dev)), dev).toBe(false);
    expect(existsSync(image.map("/app/dist/main.js"))).toBe(true);
    expect(existsSync(image.map("/app/src"))).toBe(false);
    expect(existsSync(image.map(CONFIG))).toBe(true);
    expect(existsSync(image.map("/etc/waba-alerts/rules/delivery.yaml"))).toBe(true);
  });

  it("prints its version and validates its own config and rules", async () => {
    const version = await sh(command(["--version"]), { cwd: image.workdir, env: env() });
    expect(version.stdout.trim()).toBe(packageInfo().version);
    const valid = await sh(command(["validate"]), { cwd: image.workdir, env: env() });
    expect(valid.stderr).toBe("");
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/^ok: config .*config\.yaml, \d+ rule\(s\)/);
  });

  it("runs its CMD (start) on a mounted config: healthy, ready, fires an alert, stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    // What a volume mount over /etc/waba-alerts/config.yaml does: the image's config with this machine's ports,
    // a private Redis prefix, and the outbox volume's path on this machine.
    const doc = parseDocument(readFileSync(image.map(CONFIG), "utf8"));
    doc.setIn(["server", "host"], "127.0.0.1");
    doc.setIn(["server", "port"], port);
    doc.setIn(["redis", "prefix"], prefix);
    doc.setIn(["workers", "metrics_port"], metricsPort);
    const outbox = image.map(String(doc.getIn(["email", "outbox"])));
    doc.setIn(["email", "outbox"], outbox);
    writeFileSync(image.map(CONFIG), doc.toString());
    const runEnv = env({
      REDIS_URL: "redis://127.0.0.1:6379",
      WHATSAPP_APP_SECRET: SECRET,
      ADMIN_TOKEN: "t",
    });

    const t0 = Date.now();
    const start = await startUntil(command(), {
      cwd: image.workdir,
      env: runEnv,
      ready: () => healthcheck(`http://127.0.0.1:${port}/healthz`),
    });
    running.push(start);
    notes.push(`start answered its HEALTHCHECK after ${Date.now() - t0} ms`);
    expect(await answers(`http://127.0.0.1:${port}/readyz`)).toBe(true);
    expect(await healthcheck(`http://127.0.0.1:${port}/nope`)).toBe(false);
    expect(await fireSpamAlert(port)).toBe(200);
    await waitFor(async () => (emlFiles(outbox).length === 1 ? true : undefined), 15_000, "the alert email");
    // JSON logs with ISO times (log.format: json in the image's config).
    const started = start
      .output()
      .split("\n")
      .find((l) => l.includes('"waba-alerts started"'));
    expect(JSON.parse(started ?? "{}").time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await start.stop()).toBe(0);

    const worker = await startUntil(command(["worker"]), {
      cwd: image.workdir,
      env: runEnv,
      ready: () => healthcheck(`http://127.0.0.1:${metricsPort}/healthz`),
    });
    running.push(worker);
    expect(await answers(`http://127.0.0.1:${metricsPort}/readyz`)).toBe(true);
    expect(await worker.stop()).toBe(0);
  }, 90_000);
});
