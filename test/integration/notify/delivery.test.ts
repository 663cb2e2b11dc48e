// End to end through BullMQ on real Redis: one job per alert and channel, retries, dead letters, dedup.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChannelConfig } from "../../../src/config/schema.js";
import type { Alert } from "../../../src/model/alert.js";
import { listDeadLetters, retryDeadLetter } from "../../../src/notify/dead-letters.js";
import { createNotificationsProducer, type NotificationsProducer } from "../../../src/notify/producer.js";
import { buildNotifiers } from "../../../src/notify/registry.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import type { Notifier } from "../../../src/notify/types.js";
import { QUEUE_NOTIFICATIONS, queuePrefix } from "../../../src/queue/names.js";
import { type DeliveryOutcome, startNotificationsWorker } from "../../../src/notify/worker.js";
import { emailChannel, silentLog, testConfig, webhookChannel } from "../../fixtures/notify/config.js";
import { type HttpReceiver, type ScriptedResponse, startHttpReceiver } from "../../helpers/http-receiver.js";
import { type SmtpTestServer, startSmtpServer } from "../../helpers/smtp.js";

const URL = "redis://127.0.0.1:6379";
const timing = { attempts: 5, backoffMs: 50, maxBackoffMs: 200 };

let prefix: string;
let redis: Redis;
let cleanups: (() => Promise<void>)[];

beforeEach(() => {
  prefix = `test-notify-${randomUUID()}`;
  redis = new Redis(URL);
  cleanups = [];
});

afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  const keys = await redis.keys(`{${prefix}}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

interface Pipeline {
  producer: NotificationsProducer;
  outcomes: DeliveryOutcome[];
  notifiers: Map<string, Notifier>;
}

function pipeline(
  channels: Record<string, ChannelConfig>,
  smtpUrl = "",
  attempts = timing.attempts,
): Pipeline {
  const notifiers = buildNotifiers(testConfig(channels, { smtp: smtpUrl }), silentLog);
  const outcomes: DeliveryOutcome[] = [];
  const producer = createNotificationsProducer({ url: URL, prefix, attempts });
  const worker = startNotificationsWorker({
    url: URL,
    prefix,
    notifiers,
    ...timing,
    attempts,
    log: silentLog,
    onOutcome: (o) => outcomes.push(o),
  });
  cleanups.push(async () => {
    await worker.close();
    await producer.close();
    await Promise.all([...notifiers.values()].map((n) => n.close()));
  });
  return { producer, outcomes, notifiers };
}

async function receiver(script: ScriptedResponse[]): Promise<HttpReceiver> {
  const r = await startHttpReceiver(script);
  cleanups.push(() => r.close());
  return r;
}

async function smtpServer(opts: Parameters<typeof startSmtpServer>[0]): Promise<SmtpTestServer> {
  const s = await startSmtpServer(opts);
  cleanups.push(() => s.close());
  return s;
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** settle waits until no notification job is left to run: after that nothing more can be sent. */
async function settle(): Promise<void> {
  const queue = new Queue(QUEUE_NOTIFICATIONS, { connection: { url: URL }, prefix: queuePrefix(prefix) });
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
      const pending = Object.values(counts).reduce((a, b) => a + b, 0);
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error(`${pending} notification job(s) still pending`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await queue.close();
  }
}
const alertFor = (notify: string[]): Alert => ({ ...sampleAlert(), id: `a-${randomUUID()}`, notify });
const finals = (p: Pipeline, channel: string) => p.outcomes.filter((o) => o.channel === channel && o.final);

describe("notification delivery", () => {
  it("retries an SMTP 4xx and then delivers exactly once", async () => {
    const smtp = await smtpServer({ tempFailFirst: 1 });
    const p = pipeline({ ops: emailChannel() }, smtp.url);
    await p.producer.enqueue(alertFor(["ops"]));
    await smtp.waitForMessages(1);
    await until(() => finals(p, "ops").length === 1);
    await settle();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.attempts()).toBe(2);
    expect(p.outcomes.map((o) => [o.attempt, o.result.kind, o.final])).toEqual([
      [1, "retryable", false],
      [2, "ok", true],
    ]);
  });

  it("dead-letters an SMTP 5xx without retrying", async () => {
    const smtp = await smtpServer({ alwaysReject: true });
    const p = pipeline({ ops: emailChannel() }, smtp.url);
    const alert = alertFor(["ops"]);
    await p.producer.enqueue(alert);
    await until(() => finals(p, "ops").length === 1);
    await settle();
    expect(smtp.attempts()).toBe(1);
    const [letter] = await listDeadLetters(redis, prefix, 10);
    expect(letter).toMatchObject({ channel: "ops", reason: "permanent", attempts: 1 });
    expect(letter!.alert?.id).toBe(alert.id);
    expect(letter!.error).toContain("550");
  });

  it("retries a webhook 500, delivers once, with the same Idempotency-Key on every attempt", async () => {
    const hook = await receiver([{ status: 500 }, { status: 200 }]);
    const p = pipeline({ hook: webhookChannel(hook.url, { secret: "k" }) });
    const alert = alertFor(["hook"]);
    await p.producer.enqueue(alert);
    await until(() => finals(p, "hook").length === 1);
    await settle();
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests.map((r) => r.headers["idempotency-key"])).toEqual([
      `${alert.id}-hook`,
      `${alert.id}-hook`,
    ]);
    expect(finals(p, "hook")[0]!.result.kind).toBe("ok");
  });

  it("dead-letters a webhook 400 without retrying", async () => {
    const hook = await receiver([{ status: 400, body: "unknown field" }]);
    const p = pipeline({ hook: webhookChannel(hook.url) });
    await p.producer.enqueue(alertFor(["hook"]));
    await until(() => finals(p, "hook").length === 1);
    await settle();
    expect(hook.requests).toHaveLength(1);
    const letters = await listDeadLetters(redis, prefix, 10);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ reason: "permanent", error: "HTTP 400 Bad Request: unknown field" });
  });

  it("caps a 429's Retry-After at max_backoff", async () => {
    const hook = await receiver([{ status: 429, headers: { "Retry-After": "30" } }, { status: 200 }]);
    const p = pipeline({ hook: webhookChannel(hook.url) });
    await p.producer.enqueue(alertFor(["hook"]));
    await hook.waitForRequests(2, 10_000);
    const gap = hook.requests[1]!.at - hook.requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(150); // the cap here is 200 ms, not the 30 s asked for
    expect(gap).toBeLessThan(5000);
  });

  it("honours Retry-After: 1 with the default cap", async () => {
    const hook = await receiver([{ status: 429, headers: { "Retry-After": "1" } }, { status: 200 }]);
    const notifiers = buildNotifiers(testConfig({ hook: webhookChannel(hook.url) }), silentLog);
    const producer = createNotificationsProducer({ url: URL, prefix, attempts: 3 });
    const worker = startNotificationsWorker({
      url: URL,
      prefix,
      notifiers,
      attempts: 3,
      backoffMs: 50,
      maxBackoffMs: 3_600_000,
      log: silentLog,
    });
    cleanups.push(async () => {
      await worker.close();
      await producer.close();
    });
    await producer.enqueue(alertFor(["hook"]));
    await hook.waitForRequests(2, 10_000);
    expect(hook.requests[1]!.at - hook.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("retries only the failing channel while its sibling is sent once", async () => {
    const good = await receiver([{ status: 200 }]);
    const bad = await receiver([{ status: 503 }]);
    const p = pipeline({ good: webhookChannel(good.url), bad: webhookChannel(bad.url) }, "", 3);
    const alert = alertFor(["good", "bad"]);
    await p.producer.enqueue(alert);
    await until(() => finals(p, "bad").length === 1 && finals(p, "good").length === 1);
    await settle();
    expect(good.requests).toHaveLength(1);
    expect(bad.requests).toHaveLength(3);
    const [letter] = await listDeadLetters(redis, prefix, 10);
    expect(letter).toMatchObject({ channel: "bad", reason: "exhausted", attempts: 3, error: "HTTP 503 Service Unavailable" });
  });

  it("sends an alert enqueued twice only once per channel", async () => {
    const hook = await receiver([{ status: 200 }]);
    const smtp = await smtpServer({});
    const p = pipeline({ hook: webhookChannel(hook.url), ops: emailChannel() }, smtp.url);
    const alert = alertFor(["hook", "ops"]);
    await p.producer.enqueue(alert);
    await p.producer.enqueue(structuredClone(alert));
    await until(() => finals(p, "hook").length >= 1 && finals(p, "ops").length >= 1);
    await p.producer.enqueue(alert); // after completion too: the job id is kept for days
    await settle();
    expect(hook.requests).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
  });

  it("dead-letters an unknown channel, and re-sends a dead letter on request", async () => {
    const hook = await receiver([{ status: 400 }, { status: 200 }]);
    const p = pipeline({ hook: webhookChannel(hook.url) });
    await p.producer.enqueue(alertFor(["nowhere"]));
    await p.producer.enqueue(alertFor(["hook"]));
    await until(() => finals(p, "nowhere").length === 1 && finals(p, "hook").length === 1);
    const letters = await listDeadLetters(redis, prefix, 10);
    expect(letters.map((l) => l.channel).sort()).toEqual(["hook", "nowhere"]);
    expect(letters.find((l) => l.channel === "nowhere")!.error).toContain('no channel named "nowhere"');

    const hookLetter = letters.find((l) => l.channel === "hook")!;
    const jobId = await retryDeadLetter(redis, prefix, hookLetter.id, p.producer);
    expect(jobId).toContain(".retry-");
    await until(() => finals(p, "hook").length === 2);
    expect(finals(p, "hook")[1]!.result.kind).toBe("ok");
    expect(hook.requests).toHaveLength(2);
    expect((await listDeadLetters(redis, prefix, 10)).map((l) => l.channel)).toEqual(["nowhere"]);
    expect(await retryDeadLetter(redis, prefix, "no-such-id", p.producer)).toBeUndefined();
  });
});
