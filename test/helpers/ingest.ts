// The ingest routes on a real Fastify instance with the real events producer on Redis, for route tests.
import { Writable } from "node:stream";
import { Queue } from "bullmq";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { pino } from "pino";
import type { EventBatch } from "../../src/model/event.js";
import { type IngestObserver, type IngestOptions, ingestRoutes } from "../../src/ingest/routes.js";
import { redisOptions } from "../../src/queue/connection.js";
import { createEventsProducer, type EventsProducer } from "../../src/queue/events.js";
import { QUEUE_EVENTS, queuePrefix } from "../../src/queue/names.js";
import { deleteKeys } from "./redis.js";

/** REDIS_URL is the test Redis. */
export const REDIS_URL = "redis://127.0.0.1:6379";

/** IngestHarness is a ready Fastify app with the ingest routes, its producer, log lines and observed outcomes. */
export interface IngestHarness {
  app: FastifyInstance;
  producer: EventsProducer;
  logs: string[];
  seen: string[];
}

/** buildIngest registers ingestRoutes with `opts` (the secrets are the caller's) and a real producer under `prefix`. */
export async function buildIngest(
  where: { url?: string; prefix: string },
  opts: Omit<IngestOptions, "enqueue" | "observer">,
): Promise<IngestHarness> {
  const logs: string[] = [];
  const seen: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const producer = createEventsProducer({ url: where.url ?? REDIS_URL, prefix: where.prefix });
  const observer: IngestObserver = {
    received: (s, n) => seen.push(`received ${s} ${n}`),
    enqueued: (s, n) => seen.push(`enqueued ${s} ${n}`),
    rejected: (s, r) => seen.push(`rejected ${s} ${r}`),
  };
  const app: FastifyInstance = Fastify({ loggerInstance: pino(stream) as FastifyBaseLogger });
  await app.register(ingestRoutes, { ...opts, enqueue: (batch) => producer.enqueue(batch), observer });
  await app.ready();
  return { app, producer, logs, seen };
}

/** EventsQueueReader reads what the ingest routes put on the events queue under one prefix. */
export interface EventsQueueReader {
  jobs(): Promise<EventBatch[]>;
  /** close removes the queue and every key under the prefix. */
  close(): Promise<void>;
}

/** readEventsQueue opens the events queue under `prefix` the way a worker would. */
export function readEventsQueue(prefix: string): EventsQueueReader {
  const client = new Redis(redisOptions(REDIS_URL, "worker"));
  const queue = new Queue<EventBatch>(QUEUE_EVENTS, { connection: client, prefix: queuePrefix(prefix) });
  return {
    jobs: async () => (await queue.getJobs(["waiting", "prioritized", "delayed"])).map((j) => j.data),
    async close() {
      await queue.obliterate({ force: true });
      await queue.close();
      client.disconnect();
      const admin = new Redis(REDIS_URL);
      await deleteKeys(admin, `${queuePrefix(prefix)}*`);
      admin.disconnect();
    },
  };
}
