// Read-side handles on the events and notifications queues (every partition), for queue-depth metrics and Bull Board.
import { Queue } from "bullmq";
import { QUEUE_EVENTS, QUEUE_NOTIFICATIONS } from "../queue/names.js";
import { queuePartitions } from "../queue/partitions.js";
import { closeClient, createRedisClient, type RedisTarget } from "../queue/redis-client.js";

/** QUEUE_DEPTH_STATES are the job states /metrics reports per queue. */
export const QUEUE_DEPTH_STATES = ["waiting", "active", "delayed", "failed"] as const;

/** QueueViews are the queues opened for looking, never for adding jobs. */
export interface QueueViews {
  /** Every partition of both queues (events first). */
  readonly queues: readonly Queue[];
  /** counts asks Redis for each queue's job counts by state, the partitions of a queue added up. */
  counts(): Promise<Record<string, Record<string, number>>>;
  close(): Promise<void>;
}

/** QueueViewsOptions say where the queues are. */
export interface QueueViewsOptions extends RedisTarget {
  readonly prefix: string;
  readonly partitions?: number;
}

/** openQueueViews opens the queues on one fail-fast connection, so a scrape never hangs on a lost Redis. */
export function openQueueViews(opts: QueueViewsOptions): QueueViews {
  const client = createRedisClient(opts, "producer");
  client.on("error", () => {
    // The events producer already logs connection trouble once per outage.
  });
  const partitions = queuePartitions(opts.prefix, opts.partitions);
  const queues = [QUEUE_EVENTS, QUEUE_NOTIFICATIONS].flatMap((name) =>
    partitions.map((p) => new Queue(name, { connection: client, prefix: p.prefix })),
  );
  return {
    queues,
    async counts() {
      const all = await Promise.all(queues.map((q) => q.getJobCounts(...QUEUE_DEPTH_STATES)));
      const out: Record<string, Record<string, number>> = {};
      queues.forEach((q, i) => {
        out[q.name] ??= {};
        const sum = out[q.name] as Record<string, number>;
        for (const [state, n] of Object.entries(all[i] ?? {})) sum[state] = (sum[state] ?? 0) + n;
      });
      return out;
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      await closeClient(client);
    },
  };
}
