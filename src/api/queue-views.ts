// Read-side handles on the events and notifications queues, for queue-depth metrics and Bull Board.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { redisOptions } from "../queue/connection.js";
import { QUEUE_EVENTS, QUEUE_NOTIFICATIONS, queuePrefix } from "../queue/names.js";

/** QUEUE_DEPTH_STATES are the job states /metrics reports per queue. */
export const QUEUE_DEPTH_STATES = ["waiting", "active", "delayed", "failed"] as const;

/** QueueViews are the two queues opened for looking, never for adding jobs. */
export interface QueueViews {
  readonly queues: readonly Queue[];
  /** counts asks Redis for each queue's job counts by state. */
  counts(): Promise<Record<string, Record<string, number>>>;
  close(): Promise<void>;
}

/** openQueueViews opens both queues on one fail-fast connection, so a scrape never hangs on a lost Redis. */
export function openQueueViews(url: string, prefix: string): QueueViews {
  const client = new Redis(redisOptions(url, "producer"));
  client.on("error", () => {
    // The events producer already logs connection trouble once per outage.
  });
  const queues = [QUEUE_EVENTS, QUEUE_NOTIFICATIONS].map(
    (name) => new Queue(name, { connection: client, prefix: queuePrefix(prefix) }),
  );
  return {
    queues,
    async counts() {
      const out: Record<string, Record<string, number>> = {};
      await Promise.all(
        queues.map(async (q) => {
          out[q.name] = await q.getJobCounts(...QUEUE_DEPTH_STATES);
        }),
      );
      return out;
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      await client.quit().catch(() => client.disconnect());
    },
  };
}
