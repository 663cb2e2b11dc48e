// The engine under test, run as users run it: a generated config, `serve` and `worker` processes.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Proc, spawnProc, stopProc } from "./procs.js";

/** EngineConfig is what the generated config varies per bench run. */
export interface EngineConfig {
  readonly dir: string;
  readonly port: number;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly secret: string;
  readonly rulesDir: string;
  readonly smtpUrl: string;
  readonly hookUrl: string;
  readonly concurrency: number;
}

/** writeConfig writes a config.yaml for `c` and returns its path. */
export function writeConfig(c: EngineConfig, name: string): string {
  const file = join(c.dir, `${name}.yaml`);
  writeFileSync(
    file,
    `server: { host: 127.0.0.1, port: ${c.port}, body_limit: 3mb }
redis: { url: "${c.redisUrl}", prefix: ${c.prefix} }
whatsapp: { app_secret: "${c.secret}", verify_token: bench-verify }
rules: { paths: ["${c.rulesDir}"], watch: false }
email: { from: "WABA Alerts <alerts@localhost>", smtp: "${c.smtpUrl}", outbox: ./outbox }
channels:
  # group: false — the alert-latency probe times every alert's own email, not a digest of them.
  ops: { type: email, to: [oncall@example.com], group: false }
  hook: { type: webhook, url: "${c.hookUrl}", secret: bench-hook }
defaults: { notify: [ops], cooldown: 15m, severity: warning }
workers: { concurrency: ${c.concurrency} }
log: { level: info }
`,
  );
  return file;
}

/** Engine is a running serve process plus its worker processes. */
export interface Engine {
  readonly url: string;
  readonly serve: Proc;
  readonly workers: readonly Proc[];
  stop(): Promise<void>;
}

const MAIN = resolve(import.meta.dirname, "..", "dist", "main.js");
const COUNTER = resolve(import.meta.dirname, "redis-counter.cjs");

async function waitReady(url: string, timeoutMs: number, procs: readonly Proc[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const p of procs) {
      if (p.child.exitCode !== null) throw new Error(`${p.name} exited with ${p.child.exitCode} during start-up`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`engine at ${url} not ready within ${timeoutMs} ms`);
}

/**
 * startEngine spawns `serve` and `workers` × `worker` on `configFile`, resolving once /readyz answers.
 * Each process preloads redis-counter.cjs, which writes its Redis round trips into `countDir`.
 */
export async function startEngine(
  configFile: string,
  port: number,
  workers: number,
  logDir: string,
  countDir: string,
  extraArgs: readonly string[] = [],
): Promise<Engine> {
  const log = join(logDir, "engine.log");
  const env = { BENCH_COUNT_DIR: countDir };
  const args = [...extraArgs, "--require", COUNTER, MAIN];
  const serve = spawnProc("serve", [...args, "serve", "-c", configFile], log, env);
  const ws = Array.from({ length: workers }, (_, i) =>
    spawnProc(`worker${i + 1}`, [...args, "worker", "-c", configFile], log, env),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url, 20_000, [serve, ...ws]);
  } catch (err) {
    await Promise.all([serve, ...ws].map((p) => stopProc(p)));
    throw err;
  }
  // The worker has no HTTP endpoint: give it a moment to connect and load its rules.
  await new Promise((r) => setTimeout(r, 700));
  return {
    url,
    serve,
    workers: ws,
    stop: async () => {
      await Promise.all([serve, ...ws].map((p) => stopProc(p)));
    },
  };
}
