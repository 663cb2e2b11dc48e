// Child processes for fault tests: a built `waba-alerts`, a private redis-server, free ports, one-time build.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, rmdirSync, statSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";

/** ROOT is the checkout; MAIN is the built CLI the tests run. */
export const ROOT = resolve(import.meta.dirname, "../../..");
export const MAIN = join(ROOT, "dist/main.js");

/** sleep waits `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** waitUntil polls `check` until it returns true, or throws `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** freePort asks the OS for a port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * ensureBuilt runs the TypeScript build once for all test files: a directory lock serialises parallel
 * files, and a dist/main.js newer than every source file is reused.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), "waba-alerts-reliability-build.lock");
  await waitUntil(
    "the build lock",
    () => {
      try {
        mkdirSync(lock);
        return true;
      } catch {
        return false;
      }
    },
    120_000,
  );
  try {
    let fresh = false;
    try {
      fresh = statSync(MAIN).mtimeMs > newestMtime(join(ROOT, "src"));
    } catch {
      fresh = false;
    }
    if (!fresh) {
      // tsc emits even when someone's work in progress has a type error; only a missing CLI is fatal.
      await promisify(execFile)("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT }).catch(
        () => undefined,
      );
      statSync(MAIN);
    }
  } finally {
    rmdirSync(lock);
  }
}

/** LogLine is one pino JSON line of a child. */
export type LogLine = Record<string, unknown> & { msg?: string };

/** AppProcess is a running `node dist/main.js <mode>`. */
export interface AppProcess {
  child: ChildProcess;
  logs: LogLine[];
  stderr: string[];
  /** waitForLog resolves with the first line (seen or to come) for which `match` is true. */
  waitForLog(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** exited resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string>;
  /** stop kills the process with `signal` (default SIGKILL) and waits for it to be gone. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

const running = new Set<AppProcess>();

/** startApp runs the CLI in `mode` with `config` and resolves once it logged "waba-alerts started". */
export async function startApp(mode: "start" | "serve" | "worker", config: string): Promise<AppProcess> {
  const child = spawn(process.execPath, [MAIN, mode, "-c", config], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: LogLine[] = [];
  const stderr: string[] = [];
  let partial = "";
  child.stdout?.on("data", (d: Buffer) => {
    const text = partial + d.toString("utf8");
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr?.on("data", (d: Buffer) => stderr.push(d.toString("utf8")));
  const exited = new Promise<number | string>((res) =>
    child.on("exit", (code, signal) => res(code ?? signal ?? -1)),
  );
  const app: AppProcess = {
    child,
    logs,
    stderr,
    exited,
    async waitForLog(match, timeoutMs = 20_000) {
      let found: LogLine | undefined;
      await waitUntil(
        `a log line in ${mode} (stderr: ${stderr.join("").slice(0, 500)})`,
        () => {
          found = logs.find(match);
          return found !== undefined || child.exitCode !== null;
        },
        timeoutMs,
      ).catch((err: Error) => {
        // The last lines the process logged usually say why the awaited one never came.
        const recent = logs
          .map((l) => JSON.stringify(l))
          .join("\n")
          .slice(-1500);
        throw new Error(`${err.message}\n${recent}`);
      });
      if (!found) throw new Error(`${mode} exited (${child.exitCode}): ${stderr.join("")}`);
      return found;
    },
    async stop(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      running.delete(app);
      return code;
    },
  };
  running.add(app);
  exited.then(() => running.delete(app));
  await app.waitForLog((l) => l.msg === "waba-alerts started", 30_000);
  return app;
}

/** stopAll kills every app process this test file started that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((a) => a.stop("SIGKILL")));
}

/** PrivateRedis is a redis-server of our own on a random port, persisting every write (AOF, fsync always). */
export interface PrivateRedis {
  port: number;
  url: string;
  /** kill stops the server abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** start (re)starts it on the same port and data directory, resolving once it answers PING. */
  start(): Promise<void>;
}

/** DURABLE_REDIS are the persistence arguments of a private redis-server unless a test gives its own. */
export const DURABLE_REDIS = ["--save", "", "--appendonly", "yes", "--appendfsync", "always"];

/** startPrivateRedis launches a redis-server in `dir` on a free port, with `persistence` arguments. */
export async function startPrivateRedis(
  dir: string,
  persistence: readonly string[] = DURABLE_REDIS,
): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const r: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const c = child;
      const gone = new Promise<void>((res) => c.once("exit", () => res()));
      c.kill("SIGKILL");
      await gone;
    },
    async start() {
      mkdirSync(dir, { recursive: true });
      child = spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--dir",
          dir,
          ...persistence,
          "--protected-mode",
          "no",
        ],
        { stdio: "ignore" },
      );
      const client = new Redis({
        port,
        host: "127.0.0.1",
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      client.on("error", () => {});
      try {
        await waitUntil(
          "the private redis-server",
          async () => {
            try {
              if (client.status !== "ready") await client.connect();
              return (await client.ping()) === "PONG";
            } catch {
              client.disconnect();
              return false;
            }
          },
          10_000,
        );
      } finally {
        client.disconnect();
      }
    },
  };
  await r.start();
  privateRedis.add(r);
  return r;
}

const privateRedis = new Set<PrivateRedis>();

/** killAllRedis stops every private redis-server this file started. */
export async function killAllRedis(): Promise<void> {
  await Promise.all([...privateRedis].map((r) => r.kill()));
}
