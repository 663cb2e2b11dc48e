// What the Redis Cluster tests share: an engine on the test cluster, its logs, bursts of signed webhooks.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { createAlertHistory, type HistoryEntry } from "../../../src/alerts/history.js";
import { type App, type AppMode, buildApp } from "../../../src/app.js";
import { loadConfig } from "../../../src/config/load.js";
import type { Logger } from "../../../src/shared/logger.js";
import { type EngineDir, makeEngineDir, REPO, SPAM_RULES, webhook } from "../../helpers/engine.js";
import type { RecordedRequest } from "../../helpers/http-receiver.js";
import type { TestCluster } from "../../helpers/redis-cluster.js";

/** PARTITIONS is how many queue partitions the cluster tests run with: two per master. */
export const PARTITIONS = 6;

/** BURST_RULES: more than 2 spam errors on one number fire once, to email and webhook. */
export const BURST_RULES = `${SPAM_RULES}    notify: [ops, hook]\n`;

/** clusterEngineDir is an engine dir on the cluster: the burst rule plus the shipped ratio/spike/absent rules. */
export async function clusterEngineDir(
  cluster: TestCluster,
  opts: { smtp: string; hook: string; port?: number },
): Promise<EngineDir> {
  const dir = await makeEngineDir({
    rules: BURST_RULES,
    cluster: cluster.urls,
    partitions: PARTITIONS,
    smtp: opts.smtp,
    ops: "{ type: email, to: [ops@example.com], group: false }",
    // A spawned worker says it started (and what it fired) on its output.
    logLevel: "info",
    channels: `  hook: { type: webhook, url: "${opts.hook}", secret: cluster-secret }`,
    ...(opts.port ? { port: opts.port } : {}),
  });
  // Every status meets these rules' bucket and absence scripts: a script that mixed slots would fail batches.
  copyFileSync(join(REPO, "rules", "traffic.yaml"), join(dir.dir, "rules", "traffic.yaml"));
  return dir;
}

/** LogLines is a logger that keeps every line it writes. */
export interface LogLines {
  readonly log: Logger;
  readonly lines: Array<Record<string, unknown>>;
  /** text is every line as written, for "never in a log" checks. */
  text(): string;
}

/** captureLog is a JSON logger at `level` whose lines a test can read. */
export function captureLog(level = "info"): LogLines {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      raw.push(String(chunk));
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level }, stream) as unknown as Logger, lines, text: () => raw.join("") };
}

/** startEngine builds an in-process app on the dir's config with a captured log. */
export async function startEngine(
  dir: EngineDir,
  mode: AppMode,
  log: Logger,
  extra: { now?: () => number; resolveIntervalMs?: number } = {},
): Promise<App> {
  return buildApp({ loaded: loadConfig(dir.config), mode, log, ...extra });
}

/** burst is the signed body of `count` spam errors on business number `phone` (one alert when count > 2). */
export function burst(phone: string, count = 3, timeSec?: number): { body: string; headers: Record<string, string> } {
  return webhook({ count, phone, ...(timeSec !== undefined ? { timeSec } : {}) });
}

/** postTo posts a signed body to a listening engine and returns the status code. */
export async function postTo(port: number, hook: { body: string; headers: Record<string, string> }): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
    method: "POST",
    headers: hook.headers,
    body: hook.body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** alertsOf reads the alert history of `prefix` from the cluster. */
export async function alertsOf(cluster: TestCluster, prefix: string): Promise<HistoryEntry[]> {
  const client = cluster.client();
  try {
    return await createAlertHistory(client, prefix, 10_000).list({ limit: 10_000 });
  } finally {
    client.disconnect();
  }
}

/** deliveredKeys counts webhook deliveries by Idempotency-Key (one per alert and channel when exactly once). */
export function deliveredKeys(requests: readonly RecordedRequest[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of requests) {
    const key = String(r.headers["idempotency-key"]);
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}
