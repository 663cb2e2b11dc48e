// Fault-test scenarios: a config and rules in a temp dir, signed Meta bodies, and what the engine recorded.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { createAlertHistory, type HistoryEntry } from "../../../src/alerts/history.js";
import { signBody } from "../../../src/shared/hmac.js";
import { MAIN, ROOT } from "./processes.js";

/** APP_SECRET signs every test webhook. */
export const APP_SECRET = "reliability-secret";

/** RULES are the rules every scenario runs: one alert per 131026 event, one per phone past 9 × 131048. */
export const RULES = `rules:
  - id: each-undeliverable
    description: every undeliverable message
    severity: warning
    when: { code: 131026 }
    group_by: [message_id]
    cooldown: 1d
  - id: spam-burst
    description: spam rate limit burst on one number
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 9, within: 1h }
    cooldown: 1d
`;

/** Scenario is a temp dir holding config.yaml and rules/. */
export interface Scenario {
  dir: string;
  config: string;
  rulesFile: string;
  port: number;
  prefix: string;
  cleanup(): void;
}

/**
 * ScenarioOptions fill the config; channels are YAML text under `channels:` (default: `ops`, email, every
 * alert its own message, since the fault tests count messages per alert).
 */
export interface ScenarioOptions {
  redisUrl: string;
  port: number;
  smtp?: string;
  channels?: string;
  notify?: string[];
  rules?: string;
}

/** writeScenario writes a config with tiny notify backoffs and RULES (or `rules`). */
export function writeScenario(opts: ScenarioOptions): Scenario {
  const dir = mkdtempSync(join(tmpdir(), "waba-rel-"));
  const prefix = `rel-${Math.random().toString(36).slice(2, 10)}`;
  mkdirSync(join(dir, "rules"));
  const rulesFile = join(dir, "rules", "rules.yaml");
  writeFileSync(rulesFile, opts.rules ?? RULES);
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    `server: { host: 127.0.0.1, port: ${opts.port}, body_limit: 1mb }
redis: { url: "${opts.redisUrl}", prefix: ${prefix} }
whatsapp: { app_secret: ${APP_SECRET}, verify_token: verify }
rules: { paths: [./rules], watch: true }
email: { from: "WABA Alerts <alerts@localhost>", smtp: "${opts.smtp ?? ""}", outbox: ./outbox }
channels:
${opts.channels ?? "  ops: { type: email, to: [ops@example.com], group: false }"}
defaults: { notify: [${(opts.notify ?? ["ops"]).join(", ")}], cooldown: 1d, severity: warning }
notify: { attempts: 30, backoff: 200ms, max_backoff: 1s }
workers: { concurrency: 4 }
log: { level: info }
`,
  );
  return {
    dir,
    config,
    rulesFile,
    port: opts.port,
    prefix,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** TestEvent is one status event of a generated body. */
export interface TestEvent {
  code: number;
  messageId: string;
  phone: string;
}

/** metaBody builds a Meta webhook body with one failed status per event, timestamped a little before now. */
export function metaBody(events: TestEvent[]): string {
  const now = Math.floor(Date.now() / 1000);
  const byPhone = new Map<string, TestEvent[]>();
  for (const e of events) byPhone.set(e.phone, [...(byPhone.get(e.phone) ?? []), e]);
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [...byPhone].map(([phone, list]) => ({
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: phone },
            statuses: list.map((e, i) => ({
              id: e.messageId,
              status: "failed",
              timestamp: String(now - 60 + i),
              recipient_id: "5215512345679",
              errors: [{ code: e.code, title: "test error" }],
            })),
          },
        })),
      },
    ],
  });
}

/** postBody POSTs a signed body; resolves with the status, or 0 when the connection failed. */
export async function postBody(port: number, body: string): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, APP_SECRET) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** batchOf makes batch number `i`: `undeliverable` 131026 events with unique ids and one 131048 on phone i % phones. */
export function batchOf(run: string, i: number, undeliverable: number, phones: number): TestEvent[] {
  const events: TestEvent[] = [];
  for (let k = 0; k < undeliverable; k++)
    events.push({ code: 131026, messageId: `wamid.${run}.${i}.${k}`, phone: "900000000000001" });
  events.push({ code: 131048, messageId: `wamid.${run}.${i}.spam`, phone: `90000000000010${i % phones}` });
  return events;
}

/** readHistory lists every alert the engine recorded under the scenario's prefix. */
export async function readHistory(redisUrl: string, prefix: string): Promise<HistoryEntry[]> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    return await createAlertHistory(redis, prefix, 100_000).list({ limit: 100_000 });
  } finally {
    redis.disconnect();
  }
}

/** DryAlert is one alert of `waba-alerts test --json`. */
export interface DryAlert {
  rule: string;
  group: Record<string, unknown>;
  count: number;
}

/** dryRun feeds `bodies` through `waba-alerts test --json` (no Redis): the alerts of an undisturbed run. */
export async function dryRun(s: Scenario, bodies: string[]): Promise<DryAlert[]> {
  const file = join(s.dir, "events.jsonl");
  writeFileSync(file, `${bodies.join("\n")}\n`);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [MAIN, "test", "--events", file, "-c", s.config, "--json"],
    { cwd: ROOT },
  );
  return (JSON.parse(stdout) as { alerts: DryAlert[] }).alerts;
}

/** alertKey is how two alerts are compared across runs: rule, group and count at firing. */
export function alertKey(a: {
  rule: string | { id: string };
  group: Record<string, unknown>;
  count: number;
}): string {
  const rule = typeof a.rule === "string" ? a.rule : a.rule.id;
  return `${rule} ${JSON.stringify(a.group)} ${a.count}`;
}
