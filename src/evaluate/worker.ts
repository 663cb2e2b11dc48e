// The events worker: a BullMQ Worker that evaluates each accepted batch and hands the alerts on.
import { type ConnectionOptions, type Job, Worker } from "bullmq";
import type { EventBatch } from "../model/event.js";
import { redisOptions } from "../queue/connection.js";
import { QUEUE_EVENTS, queuePrefix } from "../queue/names.js";
import type { Logger } from "../shared/logger.js";
import type { Evaluation, Evaluator } from "./evaluator.js";

/** EventsWorkerOptions configures startEventsWorker. */
export interface EventsWorkerOptions {
  /** Redis URL (redis://…). */
  url: string;
  /** The configured key prefix; the queue's keys live under `{prefix}`. */
  prefix: string;
  /** Batches processed at once by this process. */
  concurrency: number;
  evaluator: Evaluator;
  /**
   * handleAlerts records and forwards a batch's alerts. When it throws, the job fails and BullMQ
   * retries it; the retry re-emits the same alerts (`refired`, same ids), so nothing is lost or doubled.
   */
  handleAlerts(evaluation: Evaluation, batch: EventBatch): Promise<void>;
  log: Logger;
  /** Processing clock, unix ms (tests pin it). */
  now?: () => number;
}

/** EventsWorker is a running events worker. */
export interface EventsWorker {
  readonly worker: Worker<EventBatch>;
  /** close waits for the batches in progress, then disconnects. */
  close(): Promise<void>;
}

/** startEventsWorker consumes the events queue with the evaluator until closed. */
export function startEventsWorker(opts: EventsWorkerOptions): EventsWorker {
  const now = opts.now ?? Date.now;
  const processor = async (job: Job<EventBatch>): Promise<{ alerts: number }> => {
    const evaluation = await opts.evaluator.evaluate(job.data, now());
    for (const { alert } of evaluation.fired) {
      opts.log.info(
        { alert: alert.id, rule: alert.rule.id, group: alert.group, count: alert.count, job: job.id },
        "alert fired",
      );
    }
    // Awaited, never caught: a failure must fail the job so BullMQ retries the batch.
    await opts.handleAlerts(evaluation, job.data);
    return { alerts: evaluation.fired.length };
  };
  const worker = new Worker<EventBatch>(QUEUE_EVENTS, processor, {
    connection: workerConnection(opts.url),
    prefix: queuePrefix(opts.prefix),
    concurrency: opts.concurrency,
    // A worker that dies holding a batch loses its lock after lockDuration; the stalled-job check then
    // hands the batch to another worker. BullMQ's 30 s defaults would hold alerts back that long.
    lockDuration: 10_000,
    stalledInterval: 5_000,
  });
  worker.on("failed", (job, err) => {
    opts.log.warn({ job: job?.id, attempts: job?.attemptsMade, err: err.message }, "events batch failed");
  });
  worker.on("error", (err) => {
    opts.log.error({ err: err.message }, "events worker error");
  });
  return { worker, close: () => worker.close() };
}

/**
 * workerConnection adapts ioredis 6 options to BullMQ's type, which does not allow ioredis 6's
 * `retryStrategy: null`; the worker role never sets one, so leaving a null out changes nothing.
 */
function workerConnection(url: string): ConnectionOptions {
  const { retryStrategy, ...rest } = redisOptions(url, "worker");
  return retryStrategy ? { ...rest, retryStrategy } : rest;
}
