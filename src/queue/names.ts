// Queue names and the key prefix that keeps every key of every queue under one Redis Cluster hash tag.

/** QUEUE_EVENTS is the queue of accepted webhook batches, consumed by the evaluate workers. */
export const QUEUE_EVENTS = "events";

/** QUEUE_NOTIFICATIONS is the queue of one job per alert and channel, consumed by the notify workers. */
export const QUEUE_NOTIFICATIONS = "notifications";

/** QueueKind names one of the two queues; each is split into the same partitions. */
export type QueueKind = typeof QUEUE_EVENTS | typeof QUEUE_NOTIFICATIONS;

/** queuePrefix wraps the configured prefix in braces so Redis Cluster keeps a queue's keys in one slot. */
export function queuePrefix(prefix: string): string {
  return `{${prefix}}`;
}
