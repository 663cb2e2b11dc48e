// Security tests' engine: a real buildApp from an engine dir, its log lines captured as JSON objects.
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { type App, type AppMode, buildApp } from "../../../src/app.js";
import { loadConfig } from "../../../src/config/load.js";
import { createLogger } from "../../../src/shared/logger.js";
import { signBody } from "../../../src/shared/hmac.js";
import {
  type EngineDir,
  type EngineDirOptions,
  makeEngineDir,
  metaEnvelope,
  postWebhook,
  SECRET,
} from "../../helpers/engine.js";

/** LoggedApp is an in-process engine plus every line it logged (parsed), newest last. */
export interface LoggedApp {
  app: App;
  logs: Record<string, unknown>[];
  /** text is every logged line as written, for "never contains" checks. */
  text(): string;
}

/** AppExtras are the app options a test may set: the clock and how often the loops run. */
export type AppExtras = { now?: () => number; resolveIntervalMs?: number; sweepIntervalMs?: number };

/** startLogged builds an app from `dir` with the product's logger (redaction included) writing to memory. */
export async function startLogged(
  dir: EngineDir,
  mode: AppMode = "start",
  extra: AppExtras = {},
): Promise<LoggedApp> {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      raw.push(String(chunk));
      done();
    },
  });
  const log = createLogger("debug", { format: "json", destination });
  const app = await buildApp({ loaded: loadConfig(dir.config), mode, log, ...extra });
  return {
    app,
    get logs() {
      return raw
        .flatMap((line) => line.split("\n").filter(Boolean))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text: () => raw.join(""),
  };
}

/** bearer is an Authorization header value with the scheme written as given. */
export function auth(scheme: string, token: string): { authorization: string } {
  return { authorization: `${scheme} ${token}` };
}

/** INGEST_TOKEN and RELAY_TOKEN are the ingest secrets of useIngestServer's engine (relay `acme`). */
export const INGEST_TOKEN = "ingest-token-for-security-tests";
export const RELAY_TOKEN = "relay-token-for-security-tests";

/**
 * useIngestServer registers beforeAll/afterAll for one `serve` engine with POST /events (INGEST_TOKEN) and
 * the relay `acme` (RELAY_TOKEN) on; the getter returns it once started.
 */
export function useIngestServer(): () => LoggedApp {
  let dir: EngineDir | undefined;
  let engine: LoggedApp | undefined;
  beforeAll(async () => {
    dir = await makeEngineDir({
      extra: `ingest: { token: "${INGEST_TOKEN}", relays: { acme: { token: "${RELAY_TOKEN}" } } }`,
    });
    engine = await startLogged(dir, "serve");
  });
  afterAll(async () => {
    await engine?.app.close();
    await dir?.remove();
  });
  return () => {
    if (!engine) throw new Error("the engine has not started");
    return engine;
  };
}

/** EngineSlot holds one test's engine: made by the test, closed with its directory and Redis keys after it. */
export interface EngineSlot {
  /** dir writes an engine directory (without starting anything). */
  dir(opts?: EngineDirOptions): Promise<EngineDir>;
  /** start writes an engine directory (unless dir() already did) and starts an engine on it. */
  start(opts?: EngineDirOptions, mode?: AppMode, extra?: AppExtras): Promise<LoggedApp>;
  /** current is the directory written for this test. */
  current(): EngineDir;
}

/** useEngine registers an afterEach that closes the test's engine and removes its directory and keys. */
export function useEngine(): EngineSlot {
  let dir: EngineDir | undefined;
  let engine: LoggedApp | undefined;
  afterEach(async () => {
    await engine?.app.close();
    await dir?.remove();
    engine = undefined;
    dir = undefined;
  });
  const slot: EngineSlot = {
    async dir(opts = {}) {
      dir = await makeEngineDir(opts);
      return dir;
    },
    async start(opts = {}, mode = "start", extra = {}) {
      engine = await startLogged(dir ?? (await slot.dir(opts)), mode, extra);
      return engine;
    },
    current() {
      if (!dir) throw new Error("no engine directory yet");
      return dir;
    },
  };
  return slot;
}

/** postStatuses signs and posts a Meta `messages` body carrying `statuses`, and expects 200. */
export async function postStatuses(app: App, statuses: readonly object[]): Promise<void> {
  const body = metaEnvelope(statuses);
  const headers = { "content-type": "application/json", "x-hub-signature-256": signBody(body, SECRET) };
  expect(await postWebhook(app, { body, headers })).toBe(200);
}
