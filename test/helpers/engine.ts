// Runs the engine for tests: temp config + rules, in-process (buildApp) or as real `node dist/main.js` children.
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { Queue } from "bullmq";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { deleteKeys } from "./redis.js";
import { simpleParser } from "mailparser";
import { type App, type AppMode, buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/load.js";
import { signBody } from "../../src/shared/hmac.js";
import { QUEUE_EVENTS, QUEUE_NOTIFICATIONS } from "../../src/queue/names.js";
import { queuePartitions } from "../../src/queue/partitions.js";
import { createLogger } from "../../src/shared/logger.js";

/** REPO is the checkout the tests run in. */
export const REPO = resolve(import.meta.dirname, "../..");
/** SECRET is the app secret every test config signs webhooks with. */
export const SECRET = "engine-test-secret";
/** ADMIN is the admin token of every test config (unless a test turns the API off). */
export const ADMIN = "engine-admin-token";
/** PHONE is the business phone number id of the test webhooks. */
export const PHONE = "106540352242922";

/** SPAM_RULES is a rule file: more than 2 spam errors in 10 min on one number fires; resolve after the window. */
export const SPAM_RULES = `rules:
  - id: spam-burst
    description: Spam rate limit hit repeatedly on one number
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 2, within: 10m }
    cooldown: 30m
`;

/** EngineDir is a temp directory with config.yaml, rules/ and outbox/, under a random Redis prefix. */
export interface EngineDir {
  readonly dir: string;
  readonly config: string;
  readonly prefix: string;
  readonly outbox: string;
  readonly port: number;
  /** remove deletes the directory and every Redis key under the prefix. */
  remove(): Promise<void>;
}

/** EngineDirOptions shape the temp config. */
export interface EngineDirOptions {
  rules?: string;
  adminToken?: string;
  /** Extra channels (YAML lines indented under `channels:`), besides `ops` (email to the outbox). */
  channels?: string;
  /** The `ops` channel's YAML flow map (default: email to ops@example.com, grouping as the type's default). */
  ops?: string;
  /** Extra top-level YAML (e.g. `routes:`). */
  extra?: string;
  port?: number;
  logLevel?: string;
  prefix?: string;
  redisUrl?: string;
  /** Seed nodes of a Redis Cluster (`redis.cluster`); `remove` then leaves Redis to the test. */
  cluster?: readonly string[];
  /** `redis.partitions` (default: not written, so 1). */
  partitions?: number;
  /** `email.smtp` (default: none, so mails go to the outbox as .eml files). */
  smtp?: string;
  /** workers.metrics_port: where a `worker` process serves /metrics (default off). */
  workerMetricsPort?: number;
  /** More keys of the `rules:` map, as YAML flow-map entries (e.g. `max_files: 3`). */
  rulesConfig?: string;
  /** More keys of the `server:` map, as YAML flow-map entries (e.g. `metrics_port: 9100`). */
  serverConfig?: string;
  /** More keys of the `admin:` map, as YAML flow-map entries (e.g. `queue_board: full`). */
  adminConfig?: string;
  /** More keys of the `alerts:` map, as YAML flow-map entries (e.g. `mask_phone_numbers: false`). */
  alertsConfig?: string;
}

/** freePort asks the OS for a port nobody listens on. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => done(port));
    });
    srv.on("error", fail);
  });
}

/** redisWhere is the `redis:` keys saying where Redis is and how many partitions the queues have. */
function redisWhere(opts: EngineDirOptions): string {
  const where = opts.cluster
    ? `cluster: ${JSON.stringify(opts.cluster)}`
    : `url: "${opts.redisUrl ?? "redis://127.0.0.1:6379"}"`;
  return opts.partitions ? `${where}, partitions: ${opts.partitions}` : where;
}

/** makeEngineDir writes a complete config for one test engine. */
export async function makeEngineDir(opts: EngineDirOptions = {}): Promise<EngineDir> {
  const dir = mkdtempSync(join(tmpdir(), "waba-engine-"));
  const prefix = opts.prefix ?? `test-engine-${randomUUID().slice(0, 8)}`;
  const port = opts.port ?? (await freePort());
  mkdirSync(join(dir, "rules"));
  mkdirSync(join(dir, "outbox"));
  writeFileSync(join(dir, "rules", "spam.yaml"), opts.rules ?? SPAM_RULES);
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    `server: { host: 127.0.0.1, port: ${port}${opts.serverConfig ? `, ${opts.serverConfig}` : ""} }
redis: { ${redisWhere(opts)}, prefix: ${prefix} }
whatsapp: { app_secret: ${SECRET}, verify_token: engine-verify }
rules: { paths: [./rules], watch: false${opts.rulesConfig ? `, ${opts.rulesConfig}` : ""} }
email: { outbox: ./outbox${opts.smtp ? `, smtp: "${opts.smtp}"` : ""} }
channels:
  ops: ${opts.ops ?? "{ type: email, to: [ops@example.com] }"}
${opts.channels ?? ""}
${opts.extra ?? ""}
defaults: { notify: [ops], cooldown: 15m, severity: warning }
notify: { attempts: 2, backoff: 1s, max_backoff: 1s }
admin: { token: "${opts.adminToken ?? ADMIN}"${opts.adminConfig ? `, ${opts.adminConfig}` : ""} }
log: { level: ${opts.logLevel ?? "silent"} }
workers: { metrics_port: ${opts.workerMetricsPort ?? 0} }
${opts.alertsConfig ? `alerts: { ${opts.alertsConfig} }` : ""}
`,
  );
  return {
    dir,
    config,
    prefix,
    outbox: join(dir, "outbox"),
    port,
    async remove() {
      rmSync(dir, { recursive: true, force: true });
      if (!opts.cluster) await deleteRedisPrefix(prefix);
    },
  };
}

/** deleteRedisPrefix removes every key of a test prefix (windows, queues and their partitions, history, …). */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis("redis://127.0.0.1:6379");
  try {
    for (const pattern of [`${prefix}:*`, `{${prefix}}:*`, `{${prefix}~*`]) await deleteKeys(redis, pattern);
  } finally {
    redis.disconnect();
  }
}

/** startInProcess builds the app from an engine dir; `now` pins the processing clock. */
export async function startInProcess(
  dir: EngineDir,
  mode: AppMode = "start",
  extra: { now?: () => number; resolveIntervalMs?: number; resolveLoop?: boolean; sweepIntervalMs?: number } = {},
): Promise<App> {
  return buildApp({ loaded: loadConfig(dir.config), mode, log: createLogger("silent"), ...extra });
}

/** webhook is a signed Meta body carrying `count` failed statuses with `code` on PHONE, at `timeSec`. */
export function webhook(opts: {
  count: number;
  code?: number;
  timeSec?: number;
  run?: string;
  phone?: string;
  /** Recipient numbers are this base plus the status index (default 15551234000). */
  recipientBase?: number;
}): { body: string; headers: Record<string, string> } {
  const time = opts.timeSec ?? Math.floor(Date.now() / 1000);
  const run = opts.run ?? randomUUID().slice(0, 8);
  const statuses = Array.from({ length: opts.count }, (_, i) => ({
    id: `wamid.TEST${run}x${i}`,
    status: "failed",
    timestamp: String(time),
    recipient_id: String((opts.recipientBase ?? 15551234000) + i),
    errors: [{ code: opts.code ?? 131048, title: "Spam rate limit hit", message: "Spam rate limit hit" }],
  }));
  const body = metaEnvelope(statuses, opts.phone ?? PHONE);
  return {
    body,
    headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, SECRET) },
  };
}

/** metaEnvelope wraps status items in a Meta `messages` webhook body of the test WABA and business number. */
export function metaEnvelope(statuses: readonly object[], phone: string = PHONE): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: phone },
              statuses,
            },
          },
        ],
      },
    ],
  });
}

/** postWebhook injects a signed webhook (see `webhook`) into an in-process app and returns the status code. */
export async function postWebhook(
  app: App,
  hook: { body: string; headers: Record<string, string> },
): Promise<number> {
  const res = await app.server!.inject({
    method: "POST",
    url: "/webhooks/whatsapp",
    payload: hook.body,
    headers: hook.headers,
  });
  return res.statusCode;
}

/**
 * floodBody is one signed-ready Meta body with a failed status on each of `numbers` business numbers
 * (one change per number: phone number id `pn-<i>`, display number 1555000<iiii>) of WABA `waba`.
 */
export function floodBody(opts: {
  numbers: number;
  code?: number;
  timeSec: number;
  waba?: string;
  first?: number;
}): string {
  const run = randomUUID().slice(0, 8);
  const from = opts.first ?? 0;
  const changes = Array.from({ length: opts.numbers }, (_, k) => {
    const i = from + k;
    return {
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata: {
          display_phone_number: `1555000${String(i).padStart(4, "0")}`,
          phone_number_id: `pn-${i}`,
        },
        statuses: [
          {
            id: `wamid.FLOOD${run}x${i}`,
            status: "failed",
            timestamp: String(opts.timeSec),
            recipient_id: `5215512${String(i).padStart(6, "0")}`,
            errors: [{ code: opts.code ?? 131048, title: "An error", message: "An error" }],
          },
        ],
      },
    };
  });
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: opts.waba ?? "102290129340398", changes }],
  });
}

/** outboxSubjects lists the (decoded) subjects of the .eml files written so far. */
export async function outboxSubjects(outbox: string): Promise<string[]> {
  const files = readdirSync(outbox).filter((f) => f.endsWith(".eml"));
  const mails = await Promise.all(files.map((f) => simpleParser(readFileSync(join(outbox, f)))));
  return mails.map((m) => m.subject ?? "");
}

/**
 * quiesce waits until neither queue of an engine (by its Redis prefix) holds a job waiting, active or
 * delayed: from then on nothing can be evaluated or sent, so "nothing happened" can be checked.
 */
export async function quiesce(prefix: string, ms = 10_000, partitions = 1): Promise<void> {
  const queues = [QUEUE_EVENTS, QUEUE_NOTIFICATIONS].flatMap((name) =>
    queuePartitions(prefix, partitions).map(
      (p) => new Queue(name, { connection: { url: "redis://127.0.0.1:6379" }, prefix: p.prefix }),
    ),
  );
  try {
    await waitFor(
      async () => {
        let pending = 0;
        for (const q of queues) {
          const counts = await q.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
          pending += Object.values(counts).reduce((a, b) => a + b, 0);
        }
        return pending === 0 ? true : undefined;
      },
      ms,
      "the queues to drain",
    );
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

/** waitFor polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  ms = 10_000,
  what = "condition",
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** buildDist compiles the engine once into a private folder, so parallel builds of dist/ cannot interfere. */
export function buildDist(): string {
  const out = join(REPO, "node_modules", ".cache", `engine-dist-${process.pid}`);
  execSync(`npx tsc -p tsconfig.build.json --outDir ${out} --tsBuildInfoFile ${out}/.tsbuildinfo`, {
    cwd: REPO,
    stdio: "pipe",
  });
  return out;
}

/** watchChild collects a child's stdout and stderr as they come, and resolves `exited` to its exit code. */
export function watchChild(child: ChildProcess): { output: () => string; exited: Promise<number | null> } {
  let out = "";
  const add = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return { output: () => out, exited: new Promise((done) => child.on("exit", (code) => done(code))) };
}

/** Engine is one running `waba-alerts <mode>` child process. */
export interface Engine {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** exited resolves to the exit code once the process ends. */
  readonly exited: Promise<number | null>;
  /** stop sends SIGTERM (if still running) and waits for the exit. */
  stop(): Promise<number | null>;
}

/** FROM_SOURCE, given to spawnEngine as `dist`, runs the CLI from src/ through tsx: a real process, no build. */
export const FROM_SOURCE = join(REPO, "src");
/** TSX are node's arguments that load TypeScript through tsx, from any working directory. */
export const TSX = ["--import", pathToFileURL(createRequire(join(REPO, "package.json")).resolve("tsx")).href];

/** spawnEngine starts `node <dist>/main.js <mode> -c <config>`; serve/start wait for /readyz. */
export async function spawnEngine(dist: string, mode: AppMode, dir: EngineDir): Promise<Engine> {
  const main = dist === FROM_SOURCE ? [...TSX, join(dist, "main.ts")] : [join(dist, "main.js")];
  const child = spawn(process.execPath, [...main, mode, "-c", dir.config], {
    cwd: dir.dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { output, exited } = watchChild(child);
  const engine: Engine = {
    child,
    output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
  if (mode !== "worker") {
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`engine exited early: ${output()}`);
          const res = await fetch(`http://127.0.0.1:${dir.port}/readyz`).catch(() => undefined);
          return res?.ok ? true : undefined;
        },
        15_000,
        `${mode} to be ready`,
      );
    } catch (err) {
      child.kill("SIGKILL");
      throw err;
    }
  } else {
    try {
      await waitFor(
        async () => (/waba-alerts started/.test(output()) ? true : undefined),
        15_000,
        "worker start",
      );
    } catch (err) {
      // A worker that never said it started must not outlive the test.
      child.kill("SIGKILL");
      throw err;
    }
  }
  return engine;
}
