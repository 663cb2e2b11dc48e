// Puts alerts on the notifications queue: one job per alert and channel, with a stable job id.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { Alert } from "../evaluate/alert.js";
import { QUEUE_NOTIFICATIONS, queuePrefix } from "../queue/names.js";
import { redisOptions } from "../queue/connection.js";
import { NOTIFY_JOB, type NotifyJobData, notifyJobId, notifyJobOptions } from "./job.js";

/** NotificationsProducerOptions configure createNotificationsProducer (times in milliseconds). */
export interface NotificationsProducerOptions {
  url: string;
  prefix: string;
  attempts: number;
  /** Accepted for symmetry with the worker, which alone computes delays (it registers the strategy). */
  backoffMs: number;
  maxBackoffMs: number;
}

/** NotificationsProducer enqueues alerts for delivery. */
export interface NotificationsProducer {
  /** enqueue adds one job per channel in `alert.notify`; enqueueing the same alert again adds nothing. */
  enqueue(alert: Alert): Promise<void>;
  /** resend queues `alert` for `channel` under a fresh job id, for re-trying a dead letter; returns the id. */
  resend(alert: Alert, channel: string): Promise<string>;
  close(): Promise<void>;
}

/** createNotificationsProducer opens the notifications queue for adding jobs. */
export function createNotificationsProducer(opts: NotificationsProducerOptions): NotificationsProducer {
  const client = new Redis(redisOptions(opts.url, "producer"));
  const queue = new Queue<NotifyJobData, string, string>(QUEUE_NOTIFICATIONS, {
    connection: client,
    prefix: queuePrefix(opts.prefix),
  });
  return {
    async enqueue(alert) {
      const channels = [...new Set(alert.notify)];
      if (channels.length === 0) return;
      await queue.addBulk(
        channels.map((channel) => ({
          name: NOTIFY_JOB,
          data: { alert, channel },
          opts: notifyJobOptions(notifyJobId(alert, channel), opts.attempts),
        })),
      );
    },
    async resend(alert, channel) {
      const jobId = `${notifyJobId(alert, channel)}.retry-${randomUUID()}`;
      await queue.add(NOTIFY_JOB, { alert, channel }, notifyJobOptions(jobId, opts.attempts));
      return jobId;
    },
    async close() {
      await queue.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
