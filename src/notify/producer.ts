// Puts notifications on the queue: one job per alert (or digest) and channel, with a stable job id.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { Alert } from "../model/alert.js";
import { QUEUE_NOTIFICATIONS, queuePrefix } from "../queue/names.js";
import { redisOptions } from "../queue/connection.js";
import { NOTIFY_JOB, notificationJobId, notifyJobOptions } from "./job.js";
import type { Notification } from "../model/notification.js";

/** NotificationsProducerOptions configure createNotificationsProducer (times in milliseconds). */
export interface NotificationsProducerOptions {
  url: string;
  prefix: string;
  /** Attempts per job; the delays between them are the notifications worker's business alone. */
  attempts: number;
  /** Finished jobs kept per outcome (retention.notification_jobs). */
  keepJobs?: number;
}

/** NotificationsProducer enqueues alerts and digests for delivery. */
export interface NotificationsProducer {
  /** deliver adds one job per notification; adding the same notification again adds nothing. */
  deliver(notifications: readonly Notification[]): Promise<void>;
  /** enqueue adds one job per channel in `alert.notify` (no routing, no grouping), like deliver. */
  enqueue(alert: Alert): Promise<void>;
  /** resend queues a notification under a fresh job id, for re-trying a dead letter; returns the id. */
  resend(n: Notification): Promise<string>;
  close(): Promise<void>;
}

/** createNotificationsProducer opens the notifications queue for adding jobs. */
export function createNotificationsProducer(opts: NotificationsProducerOptions): NotificationsProducer {
  const client = new Redis(redisOptions(opts.url, "producer"));
  const queue = new Queue<Notification, string, string>(QUEUE_NOTIFICATIONS, {
    connection: client,
    prefix: queuePrefix(opts.prefix),
  });
  const deliver = async (notifications: readonly Notification[]) => {
    if (notifications.length === 0) return;
    await queue.addBulk(
      notifications.map((n) => ({
        name: NOTIFY_JOB,
        data: n,
        opts: notifyJobOptions(notificationJobId(n), opts.attempts, opts.keepJobs),
      })),
    );
  };
  return {
    deliver,
    enqueue: (alert) => deliver([...new Set(alert.notify)].map((channel) => ({ alert, channel }))),
    async resend(n) {
      const jobId = `${notificationJobId(n)}.retry-${randomUUID()}`;
      await queue.add(NOTIFY_JOB, n, notifyJobOptions(jobId, opts.attempts, opts.keepJobs));
      return jobId;
    },
    async close() {
      await queue.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
