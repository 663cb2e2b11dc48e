// Puts notifications on the queue: one job per alert (or digest) and channel, with a stable job id.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import type { Alert } from "../model/alert.js";
import { QUEUE_NOTIFICATIONS } from "../queue/names.js";
import { partitionIndex, queuePartitions, spreadByPartition } from "../queue/partitions.js";
import { closeClient, createRedisClient, type RedisTarget } from "../queue/redis-client.js";
import { NOTIFY_JOB, notificationJobId, notifyJobOptions } from "./job.js";
import { isDigest, type Notification } from "../model/notification.js";

/** NotificationsProducerOptions configure createNotificationsProducer (times in milliseconds). */
export interface NotificationsProducerOptions extends RedisTarget {
  prefix: string;
  /** How many partitions the notifications queue is split into (`redis.partitions`, default 1). */
  partitions?: number;
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

/**
 * notificationPartitionKey places a notification the way its events were placed: by the business number
 * (the group's, else where the alert happened), else the WABA; a digest or an alert with neither goes by
 * its own job id. It depends on the notification alone, so a redelivered one meets its earlier job id in
 * the same partition and is not queued twice.
 */
export function notificationPartitionKey(n: Notification): string {
  if (isDigest(n)) return n.digest.group.phone_number_id ?? n.digest.group.waba_id ?? notificationJobId(n);
  const { group, where } = n.alert;
  return group.phone_number_id ?? where.phone_number_id ?? group.waba_id ?? where.waba_id ?? notificationJobId(n);
}

/** createNotificationsProducer opens the notifications queue (every partition) for adding jobs. */
export function createNotificationsProducer(opts: NotificationsProducerOptions): NotificationsProducer {
  const client = createRedisClient(opts, "producer");
  client.on("error", () => {
    // Callers see each failed add as a rejection; the state connection logs the outage once.
  });
  const queues = queuePartitions(opts.prefix, opts.partitions).map(
    (p) => new Queue<Notification, string, string>(QUEUE_NOTIFICATIONS, { connection: client, prefix: p.prefix }),
  );
  const add = (queue: Queue<Notification, string, string>, list: readonly Notification[]) =>
    queue.addBulk(
      list.map((n) => ({
        name: NOTIFY_JOB,
        data: n,
        opts: notifyJobOptions(notificationJobId(n), opts.attempts, opts.keepJobs),
      })),
    );
  const deliver = async (notifications: readonly Notification[]) => {
    if (notifications.length === 0) return;
    if (queues.length === 1) {
      await add(queues[0] as Queue<Notification, string, string>, notifications);
      return;
    }
    const parts = spreadByPartition(notifications, queues.length, notificationPartitionKey);
    await Promise.all([...parts].map(([p, list]) => add(queues[p] as Queue<Notification, string, string>, list)));
  };
  return {
    deliver,
    enqueue: (alert) => deliver([...new Set(alert.notify)].map((channel) => ({ alert, channel }))),
    async resend(n) {
      const jobId = `${notificationJobId(n)}.retry-${randomUUID()}`;
      const queue = queues[partitionIndex(notificationPartitionKey(n), queues.length)];
      await queue?.add(NOTIFY_JOB, n, notifyJobOptions(jobId, opts.attempts, opts.keepJobs));
      return jobId;
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      await closeClient(client);
    },
  };
}
