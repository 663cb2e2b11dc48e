// The events queue producer: accepted requests become BullMQ jobs (one per request, or one per group of
// requests that arrived during the previous write), bounded in time so a webhook never hangs.
import { createHash } from "node:crypto";
import { Queue } from "bullmq";
import type { Event, EventBatch } from "../model/event.js";
import type { Logger } from "../shared/logger.js";
import { type Coalescer, createCoalescer, type Linger, MAX_EVENTS_PER_JOB } from "./coalesce.js";
import { QUEUE_EVENTS } from "./names.js";
import { createOutageLog, watchConnection } from "./outage.js";
import { type Partition, queuePartitions, spreadByPartition } from "./partitions.js";
import { closeClient, createRedisClient, type RedisClient, type RedisTarget } from "./redis-client.js";

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
  /**
   * ping tells whether every partition of the events queue can be written right now (for /readyz): the
   * node that holds each one answers a read of the queue's own key. It never throws.
   */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** EventsProducerOptions say where the queue lives; `log` receives Redis connection trouble (once per outage). */
export interface EventsProducerOptions extends RedisTarget {
  prefix: string;
  /** How many partitions the events queue is split into (`redis.partitions`, default 1). */
  partitions?: number;
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

/**
 * eventPartitionKey is what decides an event's partition: its business number, so the windows of one
 * number are fed from one queue; account-level events without a number go by their WABA; the rest to 0.
 */
export function eventPartitionKey(e: Event): string | undefined {
  return e.phone_number_id ?? e.waba_id;
}

interface Lane {
  readonly queue: Queue<EventBatch>;
  readonly coalescer: Coalescer;
}

function openLane(client: RedisClient, partition: Partition, linger: Linger): Lane {
  const queue = new Queue<EventBatch>(QUEUE_EVENTS, {
    connection: client,
    prefix: partition.prefix,
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
    linger,
  );
  return { queue, coalescer };
}

/** createEventsProducer connects a fail-fast producer to the events queue under the configured prefix. */
export function createEventsProducer(opts: EventsProducerOptions): EventsProducer {
  const timeoutMs = opts.timeoutMs ?? ENQUEUE_TIMEOUT_MS;
  const client = createRedisClient(opts, "producer");
  // ioredis repeats the error on every reconnect attempt; one line per outage is enough.
  watchConnection(client, createOutageLog(opts.log, "events queue"));
  const partitions = queuePartitions(opts.prefix, opts.partitions);
  const lanes = partitions.map((p) => openLane(client, p, opts.linger ?? DEFAULT_LINGER));
  const count = lanes.length;
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
  const submit = (batch: EventBatch, cancel: { cancelled: boolean }): Promise<void> => {
    if (count === 1) return (lanes[0] as Lane).coalescer.submit(batch, cancel);
    // Each partition's share is its own job; the request is answered once all of them are written.
    const parts = spreadByPartition(batch.events, count, eventPartitionKey);
    return Promise.all(
      [...parts].map(([p, events]) =>
        (lanes[p] as Lane).coalescer.submit({ received_at: batch.received_at, events }, cancel),
      ),
    ).then(() => undefined);
  };

  return {
    async enqueue(batch) {
      const deadline = Date.now() + timeoutMs;
      // Waiting for the connection before add() means a request refused while Redis is away is never
      // written later; a write cut off by the deadline may still land, and then Meta's retry is a no-op:
      // the content-derived job id dedups a lone request, and the windows count each event id once.
      if (client.status !== "ready") await withTimeout(connected(), timeoutMs, "enqueue");
      const cancel = { cancelled: false };
      try {
        await withTimeout(submit(batch, cancel), Math.max(1, deadline - Date.now()), "enqueue");
      } catch (err) {
        // A batch still waiting for its group's write is left out of it: a refused request writes nothing.
        cancel.cancelled = true;
        throw err;
      }
    },
    async ping() {
      try {
        // Waiting for the (first) connection keeps /readyz from flapping while the process starts. A read
        // of each queue's own key goes to the node that holds it: PING would only prove some node answers.
        const reads = connected().then(() => Promise.all(lanes.map((l) => client.exists(l.queue.keys.meta ?? ""))));
        await withTimeout(reads, timeoutMs, "ping");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await withTimeout(Promise.all(lanes.map((l) => l.queue.close())), timeoutMs, "close").catch(() => {});
      await withTimeout(closeClient(client), timeoutMs, "close").catch(() => client.disconnect());
    },
  };
}
