// Redis memory per stored item (alert history, notification job, silence, open digest), measured with MEMORY
// USAGE on a real Redis: the figures README's "Security" section sizes retention with.
// `npx tsx bench/state-memory.ts [--n=1000]`; its keys live under a throwaway prefix and are removed.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { createAlertHistory } from "../src/alerts/history.js";
import { alertFacts } from "../src/alerts/match.js";
import { createRedisSourceStore } from "../src/alerts/inhibit-store.js";
import { createRedisAbsenceStore } from "../src/evaluate/absence/redis-store.js";
import { recordDeadLetter } from "../src/notify/dead-letters.js";
import { createSilenceStore } from "../src/alerts/silences.js";
import { createRedisWindowStore } from "../src/evaluate/window/redis-store.js";
import type { WindowHit } from "../src/evaluate/window/types.js";
import type { Alert } from "../src/model/alert.js";
import { createNotificationsProducer } from "../src/notify/producer.js";
import { sampleAlert } from "../src/notify/sample.js";
import { createDigestStore } from "../src/route/digest-store.js";
import { deleteKeys } from "../test/helpers/redis.js";

const nArg = process.argv.find((a) => a.startsWith("--n="));
const N = nArg ? Number(nArg.split("=")[1]) : 1000;
const URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `bench-state-${randomBytes(4).toString("hex")}`;
const redis = new Redis(URL);

/** alertNo is the sample alert (5 samples, facts, catalog text) made unique, as the engine stores them. */
function alertNo(i: number): Alert {
  const a = sampleAlert(new Date(Date.UTC(2026, 0, 1) + i * 1000));
  return {
    ...a,
    id: `${a.id}-${i}`.padEnd(24, "0").slice(0, 24),
    group: { phone_number_id: `10654035224${i}` },
  };
}

/** usage sums MEMORY USAGE of every key matching `pattern`. */
async function usage(pattern: string): Promise<number> {
  let total = 0;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    for (const k of keys) total += Number(await redis.call("MEMORY", "USAGE", k, "SAMPLES", "0"));
  } while (cursor !== "0");
  return total;
}

const per = (bytes: number) => `${(bytes / N / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const history = createAlertHistory(redis, prefix, N * 2);
  for (let i = 0; i < N; i++) {
    const a = alertNo(i);
    await history.record(a, "firing");
    await history.addDelivery(a.id, {
      channel: "ops",
      attempt: 1,
      result: "ok",
      final: true,
      at: a.created_at,
    });
  }
  const historyBytes = await usage(`{${prefix}}:alerts:*`);

  const producer = createNotificationsProducer({ url: URL, prefix, attempts: 40 });
  for (let i = 0; i < N; i += 100) {
    await producer.deliver(
      Array.from({ length: 100 }, (_, k) => ({ alert: alertNo(i + k), channel: "ops" })),
    );
  }
  await producer.close();
  const jobBytes = await usage(`{${prefix}}:notifications:*`);

  const silences = createSilenceStore(redis, prefix, { max: N + 1 });
  for (let i = 0; i < N; i++) {
    await silences.create(
      {
        matchers: { rule: "spam-rate-limit", phone_number_id: `10654035224${i}` },
        ends_at: "2099-01-01T00:00:00Z",
        comment: "campaign paused",
      },
      Date.now(),
    );
  }
  const silenceBytes = await usage(`{${prefix}}:silences`);

  const digests = createDigestStore(redis, prefix, 1000, N + 1);
  for (let i = 0; i < N; i++) {
    const alert = alertNo(i);
    const input = {
      groupId: `g${i}`,
      channel: "ops",
      values: { rule: alert.rule.id },
      intervalMs: 300_000,
      nowMs: Date.now(),
    };
    await digests.admit({ ...input, alert });
    await digests.admit({ ...input, alert: { ...alertNo(N + i), id: `x${i}` } });
  }
  const digestBytes = await usage(`{${prefix}}:digest:*`);

  // One count window of a rule grouped by phone_number_id, N events of the last hour in it (none fires).
  const windows = createRedisWindowStore(redis, prefix);
  const now = Date.now();
  for (let i = 0; i < N; i += 100) {
    const hits: WindowHit[] = Array.from({ length: 100 }, (_, k) => ({
      key: "spam-rate-limit@0123456789ab|g0123456789abcdef0123456789abcdef",
      eventId: randomBytes(16).toString("hex"),
      eventTimeMs: now - (i + k) * 1000,
      windowMs: 3_600_000,
      moreThan: N * 10,
      cooldownMs: 900_000,
      resolveAfterMs: 3_600_000,
      sample: JSON.stringify({
        event_id: "x",
        recipient_id: "+52155****679",
        timestamp: new Date(now).toISOString(),
      }),
      maxSamples: 5,
      maxEntries: 100_000,
    }));
    await windows.apply(hits, { nowMs: now, futureLimitMs: now + 300_000 });
  }
  const windowBytes = await usage(`${prefix}:window:*`);

  for (let i = 0; i < N; i++) {
    const alert = alertNo(i);
    await recordDeadLetter(redis, prefix, {
      job_id: `notify.${alert.id}.ops`,
      alert,
      channel: "ops",
      attempts: 40,
      reason: "exhausted",
      error: "HTTP 503 Service Unavailable",
      failed_at: alert.created_at,
    });
  }
  const deadBytes = await usage(`{${prefix}}:notifications:dead-letters`);

  const sources = createRedisSourceStore(redis, prefix, N + 1);
  for (let i = 0; i < N; i++) {
    const alert = alertNo(i);
    await sources.add({
      id: alert.id,
      fingerprint: `f${i}`,
      rule: alert.rule.id,
      facts: alertFacts(alert),
      untilMs: now + 86_400_000,
    });
  }
  const sourceBytes = await usage(`{${prefix}}:inhibit:*`);

  // Absent rule groups, each busy enough to be watched: their context (newest event) and watch entries.
  const absences = createRedisAbsenceStore(redis, prefix);
  const rule = {
    key: "went-quiet@0123456789ab",
    forMs: 900_000,
    after: 1,
    withinMs: 3_600_000,
    resolutionMs: 60_000,
  };
  for (let i = 0; i < N; i += 100) {
    const context = (g: number) =>
      JSON.stringify({
        group: { phone_number_id: `10654035224${g}` },
        where: { waba_id: "102290129340398", phone_number_id: `10654035224${g}` },
        eventMs: now,
        sample: JSON.stringify(alertNo(g).samples[0]),
        fingerprint: "0123456789abcdef01234567",
      });
    await absences.record(
      Array.from({ length: 100 }, (_, k) => ({
        rule,
        group: `g${(i + k).toString(16).padStart(32, "0")}`,
        count: 1,
        context: context(i + k),
      })),
      now,
    );
  }
  const absentBytes = await usage(`${prefix}:absent:*`);

  process.stdout.write(
    [
      `per event counted in a count window (its id, for the window's length): ${(windowBytes / N).toFixed(0)} bytes`,
      `per alert in the history (with one delivery record): ${per(historyBytes)}`,
      `per notification job (waiting; a finished one adds its outcome): ${per(jobBytes)}`,
      `per silence: ${per(silenceBytes)}`,
      `per open digest holding two alerts: ${per(digestBytes)}`,
      `per dead letter: ${per(deadBytes)}`,
      `per inhibiting source: ${per(sourceBytes)}`,
      `per watched group of an absent rule: ${per(absentBytes)}`,
      "",
    ].join("\n"),
  );
}

main()
  .finally(async () => {
    for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) await deleteKeys(redis, pattern);
    redis.disconnect();
  })
  .catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exitCode = 1;
  });
