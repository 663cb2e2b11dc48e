// The notifications queue's job: its data, its options, and the id that makes enqueueing idempotent.
import type { JobsOptions } from "bullmq";
import type { Alert } from "../evaluate/alert.js";
import { BACKOFF_TYPE } from "./backoff.js";
import { isDigest, type Notification } from "./types.js";

/** NOTIFY_JOB is the name of every job on the notifications queue. */
export const NOTIFY_JOB = "notify";

/** NotifyJobData is one alert (or one digest) bound for one channel: exactly a Notification. */
export type NotifyJobData = Notification;

// BullMQ rejects custom ids containing ":" (its key separator) or that look like integers; escaping
// "%" first keeps the mapping one-to-one, and the channel part makes the id never a bare integer.
const escapeId = (s: string) => s.replace(/%/g, "%25").replace(/:/g, "%3A");

/**
 * notifyJobId is stable per alert, channel and alert type, so a redelivered alert is not queued twice,
 * while each channel (and the later resolve) is its own job, retried on its own.
 */
export function notifyJobId(alert: Alert, channel: string): string {
  const kind = alert.type === "alert.resolved" ? ".resolved" : "";
  return `${escapeId(alert.id)}.${escapeId(channel)}${kind}`;
}

/** notificationJobId is notifyJobId for an alert, and stable per digest and channel for a digest. */
export function notificationJobId(n: Notification): string {
  return isDigest(n)
    ? `digest.${escapeId(n.digest.id)}.${escapeId(n.channel)}`
    : notifyJobId(n.alert, n.channel);
}

/** KEEP_COMPLETED_SECONDS keeps finished jobs (and so their ids) a week, well past the 24 h dedup promise. */
export const KEEP_COMPLETED_SECONDS = 7 * 24 * 3600;

/** KEEP_FAILED_SECONDS keeps failed jobs a month; what matters of them is also in the dead-letter list. */
export const KEEP_FAILED_SECONDS = 30 * 24 * 3600;

/** notifyJobOptions are the options every notification job is added with. */
export function notifyJobOptions(jobId: string, attempts: number): JobsOptions {
  return {
    jobId,
    attempts,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
    removeOnFail: { age: KEEP_FAILED_SECONDS },
  };
}
