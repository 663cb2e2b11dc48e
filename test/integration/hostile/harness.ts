// A real server from buildServer with a recording enqueue, in-memory stores and captured (redacted) logs.
import { settingsOf } from "../../../src/config/settings.js";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import type { AlertHistory, HistoryEntry } from "../../../src/alerts/history.js";
import type { Silence, SilenceStore } from "../../../src/alerts/silences.js";
import type { Config } from "../../../src/config/schema.js";
import type { EventBatch } from "../../../src/model/event.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { buildServer, type ServerDeps } from "../../../src/app/server.js";
import { REDACT } from "../../../src/shared/logger.js";
import { createMetrics } from "../../../src/shared/metrics.js";
import { testConfig } from "../../fixtures/notify/config.js";
import { testRule, testRuleSet } from "../../helpers/rules.js";

/** SECRETS are the configured secrets; no log line or response may ever contain one of them. */
export const SECRETS = {
  appSecret: "app-secret-Zq81-DO-NOT-LEAK",
  verifyToken: "verify-token-Kp22-DO-NOT-LEAK",
  ingestToken: "ingest-token-Wx93-DO-NOT-LEAK",
  adminToken: "admin-token-Mn47-DO-NOT-LEAK",
  smtpPassword: "smtp-pass-Hy55-DO-NOT-LEAK",
  forwardSecret: "forward-secret-Ty66-DO-NOT-LEAK",
} as const;

/** Harness is a ready server plus what it enqueued and logged. */
export interface Harness {
  app: FastifyInstance;
  batches: EventBatch[];
  logs: string[];
  /** failEnqueue makes the next enqueues reject (Redis away). */
  failEnqueue: { on: boolean };
}

/** hostileConfig is a complete config with every secret set. */
export function hostileConfig(bodyLimit = "64kb"): Config {
  const base = testConfig(
    {
      ops: { type: "email", to: ["ops@example.com"], send_resolved: true },
      forward: {
        type: "webhook",
        url: "http://127.0.0.1:9/alerts",
        secret: SECRETS.forwardSecret,
        headers: {},
        timeout: "1s",
        format: "json",
        send_resolved: true,
      },
    },
    { smtp: `smtp://alerts:${SECRETS.smtpPassword}@127.0.0.1:2525` },
  );
  return {
    ...base,
    server: { ...base.server, body_limit: bodyLimit },
    whatsapp: { app_secret: SECRETS.appSecret, verify_token: SECRETS.verifyToken },
    ingest: { token: SECRETS.ingestToken },
    admin: { token: SECRETS.adminToken },
  };
}

function memoryHistory(): AlertHistory {
  const alert = sampleAlert(new Date("2025-03-04T10:15:00Z"));
  const entries: HistoryEntry[] = [{ alert, state: "firing", deliveries: [] }];
  return {
    record: async () => true,
    addDelivery: async () => {},
    get: async (id) => entries.find((e) => e.alert.id === id),
    list: async () => entries,
  };
}

function memorySilences(): SilenceStore {
  const all: Silence[] = [];
  return {
    async create(input, nowMs) {
      const s: Silence = {
        id: `s${all.length + 1}`,
        matchers: Object.fromEntries(Object.entries(input.matchers).map(([k, v]) => [k, String(v)])),
        starts_at: input.starts_at ?? new Date(nowMs).toISOString(),
        ends_at: input.ends_at,
        comment: input.comment ?? "",
        created_at: new Date(nowMs).toISOString(),
      };
      all.push(s);
      return s;
    },
    list: async () => [...all],
    async remove(id) {
      const i = all.findIndex((s) => s.id === id);
      if (i < 0) return false;
      all.splice(i, 1);
      return true;
    },
    async expire(id, nowMs) {
      const s = all.find((x) => x.id === id && Date.parse(x.ends_at) > nowMs);
      if (s) s.ends_at = new Date(nowMs).toISOString();
      return s !== undefined;
    },
    matching: async () => undefined,
  };
}

/** HarnessExtras are optional server deps a test sets: shorter timeouts, queues for Bull Board. */
export type HarnessExtras = Partial<Pick<ServerDeps, "timeouts" | "queues">>;

/** buildHarness builds the whole HTTP surface the way app.ts does, minus Redis (unless `extras` adds queues). */
export async function buildHarness(
  config: Config = hostileConfig(),
  extras: HarnessExtras = {},
): Promise<Harness> {
  const logs: string[] = [];
  const batches: EventBatch[] = [];
  const failEnqueue = { on: false };
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  // The same redaction as createLogger, writing to memory instead of stdout.
  const log = pino({ level: "trace", redact: REDACT }, stream);
  const rules = testRuleSet([testRule({ id: "spam", when: (e) => e.code === 131048 })]);
  const app = await buildServer({
    config,
    settings: settingsOf(config, process.cwd()),
    log,
    metrics: createMetrics(),
    async enqueue(batch) {
      if (failEnqueue.on) throw new Error("connect ECONNREFUSED 127.0.0.1:6390");
      batches.push(batch);
    },
    ready: async () => undefined,
    rules: {
      current: () => rules,
      lastProblems: () => [],
      reload: async () => ({ ok: true, set: rules }),
    },
    history: memoryHistory(),
    silences: memorySilences(),
    deadLetters: { list: async () => [], retry: async () => false },
    now: () => 1_767_300_000_000,
    ...extras,
  });
  await app.ready();
  return { app, batches, logs, failEnqueue };
}

/** leakedSecrets lists every secret that occurs in `text`. */
export function leakedSecrets(text: string): string[] {
  return Object.values(SECRETS).filter((s) => text.includes(s));
}
