// The events worker: a BullMQ Worker that evaluates each accepted batch and hands the alerts on.
import { type Job, Worker } from "bullmq";
import type { EventBatch } from "../model/event.js";
import { QUEUE_EVENTS } from "../queue/names.js";
import { createOutageLog, errorLine, watchConnection } from "../queue/outage.js";
import { queuePartitions, type Partition } from "../queue/partitions.js";
import { closeClient, createRedisClient, type RedisClient, type RedisTarget } from "../queue/redis-client.js";
import type { Logger } from "../shared/logger.js";
import type { Evaluation, Evaluator } from "./evaluator.js";

/** EventsWorkerOptions configures startEventsWorker. */
export interface EventsWorkerOptions extends RedisTarget {
  /** The configured key prefix; the queue's keys live under `{prefix}` (or a partition's own tag). */
  prefix: string;
  /** How many partitions the events queue is split into; this process consumes every one. */
  partitions?: number;
  /** Batches processed at once by this process, shared out over the partitions (at least one each). */
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

/** EventsWorker is a running events worker: one BullMQ Worker per partition. */
export interface EventsWorker {
  readonly workers: readonly Worker<EventBatch>[];
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
  // One connection for every partition's commands; BullMQ adds a blocking one per partition.
  const connection = createRedisClient(opts, "worker");
  const outage = createOutageLog(opts.log, "events worker");
  watchConnection(connection, outage);
  const partitions = queuePartitions(opts.prefix, opts.partitions);
  const concurrency = Math.max(1, Math.ceil(opts.concurrency / partitions.length));
  const workers = partitions.map((p) => consume(p, connection, processor, concurrency, opts.log, outage.report));
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await closeClient(connection);
    },
  };
}

/** consume starts the Worker of one partition of the events queue. */
function consume(
  partition: Partition,
  connection: RedisClient,
  processor: (job: Job<EventBatch>) => Promise<{ alerts: number }>,
  concurrency: number,
  log: Logger,
  onError: (err: Error) => void,
): Worker<EventBatch> {
  const worker = new Worker<EventBatch>(QUEUE_EVENTS, processor, {
    connection,
    prefix: partition.prefix,
    concurrency,
    // A worker that dies holding a batch loses its lock after lockDuration; the stalled-job check then
    // hands the batch to another worker. BullMQ's 30 s defaults would hold alerts back that long.
    lockDuration: 10_000,
    stalledInterval: 5_000,
  });
  worker.on("failed", (job, err) => {
    log.warn({ job: job?.id, attempts: job?.attemptsMade, err: errorLine(err) }, "events batch failed");
  });
  // Connection trouble repeats in every partition's worker: one line per outage for all of them.
  worker.on("error", onError);
  return worker;
}
