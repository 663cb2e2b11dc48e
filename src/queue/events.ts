// The events queue producer: accepted requests become BullMQ jobs (one per request, or one per group of
// requests that arrived during the previous write), bounded in time so a webhook never hangs.
import { createHash } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { EventBatch } from "../model/event.js";
import type { Logger } from "../shared/logger.js";
import { createCoalescer, type Linger, MAX_EVENTS_PER_JOB } from "./coalesce.js";
import { redisOptions } from "./connection.js";
import { QUEUE_EVENTS, queuePrefix } from "./names.js";

/** EVENTS_JOB_NAME names every job on the events queue (the batch is the job's data). */
export const EVENTS_JOB_NAME = "batch";

/** ENQUEUE_TIMEOUT_MS bounds enqueue and ping: past it the webhook answers 503 and Meta retries. */
export const ENQUEUE_TIMEOUT_MS = 2000;

/** EventsProducer puts accepted batches on the events queue. */
export interface EventsProducer {
  /**
   * enqueue resolves once the whole batch is in a job in Redis (alone, or with batches that arrived while
   * the previous job was being written); it rejects within ~2 s when Redis is away.
   */
  enqueue(batch: EventBatch): Promise<void>;
  /** ping tells whether Redis answers right now (for /readyz); it never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** EventsProducerOptions say where the queue lives; `log` receives Redis connection trouble (once per outage). */
export interface EventsProducerOptions {
  url: string;
  prefix: string;
  log?: Logger;
  timeoutMs?: number;
  /** How long a request waits for company while traffic flows (see Linger); default DEFAULT_LINGER. */
  linger?: Linger;
}

/** DEFAULT_LINGER: up to 5 ms of waiting for company while a write ended in the last 20 ms. */
export const DEFAULT_LINGER: Linger = Object.freeze({
  ms: 5,
  busyMs: 20,
  now: () => performance.now(),
});

/**
 * batchJobId derives the job id from the event ids, so an identical redelivery that is still in the queue
 * (or kept as completed) is not queued a second time. The `b` prefix keeps BullMQ from reading it as an int.
 */
export function batchJobId(batch: EventBatch): string {
  const hash = createHash("sha256");
  for (const e of batch.events) hash.update(e.id).update("\n");
  return `b${hash.digest("hex").slice(0, 40)}`;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** createEventsProducer connects a fail-fast producer to the events queue under the configured prefix. */
export function createEventsProducer(opts: EventsProducerOptions): EventsProducer {
  const timeoutMs = opts.timeoutMs ?? ENQUEUE_TIMEOUT_MS;
  const client = new Redis(redisOptions(opts.url, "producer"));
  let healthy = true;
  client.on("error", (err: Error) => {
    // ioredis repeats the error on every reconnect attempt; one line per outage is enough.
    if (healthy) opts.log?.warn({ err: err.message }, "events queue: Redis connection lost");
    healthy = false;
  });
  client.on("ready", () => {
    if (!healthy) opts.log?.info("events queue: Redis connection back");
    healthy = true;
  });
  const queue = new Queue<EventBatch>(QUEUE_EVENTS, {
    connection: client,
    prefix: queuePrefix(opts.prefix),
    defaultJobOptions: {
      // Evaluation is idempotent by event id, so retrying a batch after a worker or Redis blip is safe.
      attempts: 5,
      backoff: { type: "exponential", delay: 1000 },
      // Kept only for a glance in the queue UI: a completed batch may carry up to MAX_EVENTS_PER_JOB
      // events, and Redis memory must follow the open windows, not the traffic.
      removeOnComplete: { count: 100 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  // One shared wait for the connection, so a burst of requests during an outage adds one listener, not N.
  let connecting: Promise<void> | undefined;
  const connected = (): Promise<void> => {
    if (client.status === "ready") return Promise.resolve();
    connecting ??= new Promise<void>((resolve) => {
      client.once("ready", () => {
        connecting = undefined;
        resolve();
      });
    });
    return connecting;
  };
  queue.on("error", () => {
    // Already reported through the client's own error listener.
  });
  // One job per request costs the queue's Lua scripts (add, fetch, finish) per request on both sides; under
  // load, requests that arrive while a job is being written share the next one (group commit).
  const coalescer = createCoalescer(
    async (batch) => {
      await queue.add(EVENTS_JOB_NAME, batch, { jobId: batchJobId(batch) });
    },
    1,
    MAX_EVENTS_PER_JOB,
    opts.linger ?? DEFAULT_LINGER,
  );

  return {
    async enqueue(batch) {
      const deadline = Date.now() + timeoutMs;
      // Waiting for the connection before add() means a request refused while Redis is away is never
      // written later; a write cut off by the deadline may still land, and then Meta's retry is a no-op:
      // the content-derived job id dedups a lone request, and the windows count each event id once.
      if (client.status !== "ready") await withTimeout(connected(), timeoutMs, "enqueue");
      const cancel = { cancelled: false };
      try {
        await withTimeout(coalescer.submit(batch, cancel), Math.max(1, deadline - Date.now()), "enqueue");
      } catch (err) {
        // A batch still waiting for its group's write is left out of it: a refused request writes nothing.
        cancel.cancelled = true;
        throw err;
      }
    },
    async ping() {
      try {
        // Waiting for the (first) connection keeps /readyz from flapping while the process starts.
        return (
          (await withTimeout(
            connected().then(() => client.ping()),
            timeoutMs,
            "ping",
          )) === "PONG"
        );
      } catch {
        return false;
      }
    },
    async close() {
      await withTimeout(queue.close(), timeoutMs, "close").catch(() => {});
      client.disconnect();
    },
  };
}
