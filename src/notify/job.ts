// The notifications queue's job: its data, its options, and the id that makes enqueueing idempotent.
import type { JobsOptions } from "bullmq";
import { BACKOFF_TYPE } from "./backoff.js";
import { deliveryName, type Notification } from "../model/notification.js";

/** NOTIFY_JOB is the name of every job on the notifications queue. */
export const NOTIFY_JOB = "notify";

// BullMQ rejects custom ids containing ":" (its key separator) or that look like integers; escaping
// "%" first keeps the mapping one-to-one, and the channel part makes the id never a bare integer.
const escapeId = (s: string) => s.replace(/%/g, "%25").replace(/:/g, "%3A");

/**
 * notificationJobId is stable per alert, channel and alert type (or per digest and channel), so a
 * redelivered alert is not queued twice, while each channel (and the later resolve) is its own job.
 */
export function notificationJobId(n: Notification): string {
  return deliveryName(n, ".", escapeId);
}

/** KEEP_COMPLETED_SECONDS keeps finished jobs (and so their ids) a week, well past the 24 h dedup promise. */
export const KEEP_COMPLETED_SECONDS = 7 * 24 * 3600;

/** KEEP_FAILED_SECONDS keeps failed jobs a month; what matters of them is also in the dead-letter list. */
export const KEEP_FAILED_SECONDS = 30 * 24 * 3600;

/** DEFAULT_KEEP_JOBS is retention.notification_jobs when nothing else is said. */
export const DEFAULT_KEEP_JOBS = 10_000;

/**
 * notifyJobOptions are the options every notification job is added with. Finished jobs are kept by age
 * and by count (`keep` per outcome, retention.notification_jobs): each holds a whole alert, so age alone
 * would let a flood fill Redis. Past `keep` completed jobs a day, a redelivered alert may be queued again.
 */
export function notifyJobOptions(jobId: string, attempts: number, keep: number = DEFAULT_KEEP_JOBS): JobsOptions {
  return {
    jobId,
    attempts,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: { age: KEEP_COMPLETED_SECONDS, count: keep },
    removeOnFail: { age: KEEP_FAILED_SECONDS, count: keep },
  };
}
