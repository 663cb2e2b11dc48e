// The notifications worker: one notifier attempt per job run, and the only place that retries.
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { QUEUE_NOTIFICATIONS, queuePrefix } from "../queue/names.js";
import { redisOptions } from "../queue/connection.js";
import type { Logger } from "../shared/logger.js";
import { type BackoffSettings, retryDelay } from "./backoff.js";
import { recordDeadLetter } from "./dead-letters.js";
import type { Notifier } from "./types.js";
import { errorText } from "./types.js";
import { type Notification, type SendResult, isDigest, notifiedAlertIds } from "../model/notification.js";

/** DeliveryOutcome reports one attempt at one notification on one channel (for alert history and metrics). */
export interface DeliveryOutcome {
  /** The alerts the notification told about: one, or every alert a digest lists. */
  alertIds: string[];
  /** The digest's id, when the notification was a digest. */
  digestId?: string;
  channel: string;
  /** 1-based number of this attempt. */
  attempt: number;
  result: SendResult;
  /** ISO-8601 time the attempt finished. */
  at: string;
  /** True when no further attempt follows: delivered, refused for good, or out of attempts. */
  final: boolean;
}

/** NotificationsWorkerOptions configure startNotificationsWorker (times in milliseconds). */
export interface NotificationsWorkerOptions {
  url: string;
  prefix: string;
  notifiers: Map<string, Notifier>;
  /** Used when a job carries no `attempts` of its own. */
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  log: Logger;
  onOutcome?(o: DeliveryOutcome): void;
  concurrency?: number;
}

/** RetryableDeliveryError carries a retryable result to the backoff strategy, Retry-After included. */
export class RetryableDeliveryError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = "RetryableDeliveryError";
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * startNotificationsWorker consumes the notifications queue. Each run makes one attempt through the
 * channel's notifier; a retryable result becomes a BullMQ retry after retryDelay, a permanent one an
 * UnrecoverableError. What finally fails is written to the dead letters before the job is finalized.
 */
export function startNotificationsWorker(opts: NotificationsWorkerOptions): {
  worker: Worker<Notification, string>;
  close(): Promise<void>;
} {
  const settings: BackoffSettings = { backoffMs: opts.backoffMs, maxBackoffMs: opts.maxBackoffMs };
  // One client for the worker (BullMQ duplicates it for blocking reads), one for the dead letters.
  const connection = new Redis(redisOptions(opts.url, "worker"));
  const redis = new Redis(redisOptions(opts.url, "worker"));
  const log = opts.log.child({ component: "notify" });

  const processJob = async (job: Job<Notification, string>): Promise<string> => {
    const n = job.data;
    const { channel } = n;
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? opts.attempts;
    const notifier = opts.notifiers.get(channel);
    const result: SendResult = notifier
      ? await attemptOnce(notifier, n)
      : { kind: "permanent", error: `no channel named "${channel}" is configured` };
    const final = result.kind !== "retryable" || attempt >= maxAttempts;
    const what = isDigest(n) ? { digest: n.digest } : { alert: n.alert };

    if (result.kind !== "ok" && final) {
      await recordDeadLetter(redis, opts.prefix, {
        job_id: job.id ?? "",
        ...what,
        channel,
        attempts: attempt,
        reason: result.kind === "permanent" ? "permanent" : "exhausted",
        error: result.error,
        failed_at: new Date().toISOString(),
      });
    }
    report(opts, log, {
      alertIds: notifiedAlertIds(n),
      ...(isDigest(n) ? { digestId: n.digest.id } : {}),
      channel,
      attempt,
      result,
      at: new Date().toISOString(),
      final,
    });

    if (result.kind === "ok") return result.detail ?? "ok";
    if (result.kind === "permanent") throw new UnrecoverableError(result.error);
    throw new RetryableDeliveryError(result.error, result.retryAfterMs);
  };

  const worker = new Worker<Notification, string>(QUEUE_NOTIFICATIONS, processJob, {
    connection,
    prefix: queuePrefix(opts.prefix),
    concurrency: opts.concurrency ?? 8,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        retryDelay(
          attemptsMade,
          settings,
          err instanceof RetryableDeliveryError ? err.retryAfterMs : undefined,
        ),
    },
  });
  worker.on("error", (err) => log.error({ err }, "notifications worker error"));

  return {
    worker,
    async close() {
      await worker.close();
      await Promise.all([connection, redis].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

// The contract says notifiers never throw; if one does anyway, treat it as a transient fault.
async function attemptOnce(notifier: Notifier, n: Notification): Promise<SendResult> {
  try {
    return await notifier.send(n);
  } catch (err) {
    return { kind: "retryable", error: `notifier threw: ${errorText(err)}` };
  }
}

function report(opts: NotificationsWorkerOptions, log: Logger, o: DeliveryOutcome): void {
  const about = o.digestId ? { digest: o.digestId, alerts: o.alertIds.length } : { alert: o.alertIds[0] };
  const fields = { ...about, channel: o.channel, attempt: o.attempt, result: o.result.kind };
  if (o.result.kind === "ok") log.info(fields, "notification delivered");
  else if (o.final) log.error({ ...fields, error: o.result.error }, "notification failed for good");
  else log.warn({ ...fields, error: o.result.error }, "notification attempt failed; will retry");
  try {
    opts.onOutcome?.(o);
  } catch (err) {
    log.error({ err }, "onOutcome handler threw");
  }
}
