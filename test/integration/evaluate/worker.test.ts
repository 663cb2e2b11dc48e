// The events worker on real Redis: a queued batch becomes exactly one alert, and a failed hand-off is retried.
import { Queue } from "bullmq";
import { pino } from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Alert } from "../../../src/model/alert.js";
import { createEvaluator, type Evaluation } from "../../../src/evaluate/evaluator.js";
import { createRedisWindowStore } from "../../../src/evaluate/window/redis-store.js";
import { type EventsWorker, startEventsWorker } from "../../../src/evaluate/worker.js";
import type { EventBatch } from "../../../src/model/event.js";
import { QUEUE_EVENTS, queuePrefix } from "../../../src/queue/names.js";
import { testRuleSet } from "../../helpers/rules.js";
import { MIN, spamEvent, spamRule, stubCatalog, T0 } from "../../unit/evaluate/fixtures.js";
import { connect, deleteKeys, randomPrefix, REDIS_URL } from "./redis-helpers.js";

describe("events worker", () => {
  const redis = connect();
  let prefix = "";
  let queue: Queue | undefined;
  let running: EventsWorker | undefined;

  afterEach(async () => {
    await running?.close();
    await queue?.close();
    await deleteKeys(redis, `${prefix}:*`);
    await deleteKeys(redis, `${queuePrefix(prefix)}:*`);
  });

  afterAll(async () => {
    await redis.quit();
  });

  function start(handleAlerts: (evaluation: Evaluation) => Promise<void>): void {
    prefix = randomPrefix("worker");
    const evaluator = createEvaluator({
      rules: () => testRuleSet([spamRule]),
      catalog: stubCatalog,
      windows: createRedisWindowStore(redis, prefix),
      maxSamples: 3,
      maskPhoneNumbers: true,
    });
    running = startEventsWorker({
      url: REDIS_URL,
      prefix,
      concurrency: 2,
      evaluator,
      handleAlerts,
      log: pino({ level: "silent" }),
      now: () => T0 + 6 * MIN,
    });
    queue = new Queue(QUEUE_EVENTS, {
      connection: { host: "127.0.0.1", port: 6379 },
      prefix: queuePrefix(prefix),
    });
  }

  const batch = (): EventBatch => ({
    received_at: T0 + 6 * MIN,
    events: Array.from({ length: 6 }, (_, i) => spamEvent(i)),
  });

  it("hands exactly one alert on for a batch that crosses the threshold", async () => {
    const received: Alert[][] = [];
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    start(async (evaluation) => {
      received.push(evaluation.fired.map((f) => f.alert));
      done();
    });
    await queue!.add("batch", batch());
    await finished;
    expect(received).toHaveLength(1);
    expect(received[0]).toHaveLength(1);
    expect(received[0]![0]).toMatchObject({ rule: { id: "spam-rate-limit" }, count: 6 });
  });

  it("retries a batch whose hand-off failed and hands on the same alert id", async () => {
    const calls: Alert[][] = [];
    const crossings: (string | undefined)[] = [];
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    start(async (evaluation) => {
      calls.push(evaluation.fired.map((f) => f.alert));
      crossings.push(evaluation.trace.at(-1)?.rules[0]?.window?.kind);
      if (calls.length === 1) throw new Error("notification queue unavailable");
      done();
    });
    await queue!.add("batch", batch(), { attempts: 3, backoff: { type: "fixed", delay: 50 } });
    await finished;
    expect(calls).toHaveLength(2);
    expect(calls[0]).toHaveLength(1);
    expect(calls[1]!.map((a) => a.id)).toEqual(calls[0]!.map((a) => a.id));
    expect(crossings).toEqual(["fired", "refired"]);
  });
});
