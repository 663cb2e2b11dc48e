// The notifications worker: one notifier attempt per job run, and the only place that retries.
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { QUEUE_NOTIFICATIONS } from "../queue/names.js";
import { createOutageLog, watchConnection } from "../queue/outage.js";
import { queuePartitions } from "../queue/partitions.js";
import { closeClient, createRedisClient, type RedisTarget } from "../queue/redis-client.js";
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
export interface NotificationsWorkerOptions extends RedisTarget {
  prefix: string;
  /** How many partitions the notifications queue is split into; this process consumes every one. */
  partitions?: number;
  notifiers: Map<string, Notifier>;
  /** Used when a job carries no `attempts` of its own. */
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  log: Logger;
  onOutcome?(o: DeliveryOutcome): void;
  /** Attempts at once in this process (default 8), shared out over the partitions (at least one each). */
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
  workers: readonly Worker<Notification, string>[];
  close(): Promise<void>;
} {
  const settings: BackoffSettings = { backoffMs: opts.backoffMs, maxBackoffMs: opts.maxBackoffMs };
  // One connection for every partition's commands and the dead letters; BullMQ adds a blocking one per partition.
  const redis = createRedisClient(opts, "worker");
  const log = opts.log.child({ component: "notify" });
  const outage = createOutageLog(log, "notifications worker");
  watchConnection(redis, outage);

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

  const partitions = queuePartitions(opts.prefix, opts.partitions);
  const concurrency = Math.max(1, Math.ceil((opts.concurrency ?? 8) / partitions.length));
  const workers = partitions.map((p) => {
    const worker = new Worker<Notification, string>(QUEUE_NOTIFICATIONS, processJob, {
      connection: redis,
      prefix: p.prefix,
      concurrency,
      // A worker that dies mid-attempt loses its lock after lockDuration and another one retries the job:
      // as for events, BullMQ's 30 s defaults would hold a notification back up to a minute.
      lockDuration: 10_000,
      stalledInterval: 5_000,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          retryDelay(
            attemptsMade,
            settings,
            err instanceof RetryableDeliveryError ? err.retryAfterMs : undefined,
          ),
      },
    });
    // Never the error object: ioredis attaches the failed command, a whole Lua script for BullMQ's.
    worker.on("error", (err) => outage.report(err));
    return worker;
  });

  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await closeClient(redis);
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
