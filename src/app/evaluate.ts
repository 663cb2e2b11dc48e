// The worker side up to delivery: events worker → evaluation → alert lifecycle → routing, plus the
// resolver and the absence sweeper, all on the shared Redis state.
import { createInhibitor } from "../alerts/inhibit.js";
import { createRedisSourceStore } from "../alerts/inhibit-store.js";
import { createAlertLifecycle } from "../alerts/lifecycle.js";
import { startResolver } from "../alerts/resolver.js";
import { createCatalog } from "../catalog/index.js";
import { createRedisAbsenceStore } from "../evaluate/absence/redis-store.js";
import { startAbsenceSweeper } from "../evaluate/absence/sweeper.js";
import { createEvaluator, type Evaluation } from "../evaluate/evaluator.js";
import { combineInspectors } from "../evaluate/inspect.js";
import { createRedisBucketStore } from "../evaluate/window/bucket-redis.js";
import { createRedisWindowStore } from "../evaluate/window/redis-store.js";
import { startEventsWorker } from "../evaluate/worker.js";
import { startRouting } from "../route/stage.js";
import type { Metrics } from "../shared/metrics.js";
import { createStatsRecorder, startStatsBuffer } from "../stats/index.js";
import type { AppContext, Part } from "./context.js";
import { statsShards } from "./state.js";
import type { RulesPart } from "./rules.js";
import type { StatePart } from "./state.js";

/** RESOLVE_INTERVAL_MS is how often, by default, a worker process looks for firings that have calmed down. */
export const RESOLVE_INTERVAL_MS = 5000;

/** EvaluatePart is the running evaluation side; `resolveNow` and `sweepNow` run one resolver or absence pass at once. */
export interface EvaluatePart extends Part {
  resolveNow(): Promise<number>;
  sweepNow(): Promise<number>;
}

/** buildEvaluate starts the events worker and everything an alert goes through before a notification job. */
export function buildEvaluate(ctx: AppContext, state: StatePart, rules: RulesPart): EvaluatePart {
  const { config, settings, log, metrics, now, options } = ctx;
  const { prefix, partitions } = config.redis;
  const { redis } = state;
  const current = () => rules.registry.current();
  const catalog = createCatalog(config.catalog);
  const windows = createRedisWindowStore(redis, prefix);
  // Rule-wide state is split as many ways as the queues, so that on a cluster a busy rule spreads too.
  const buckets = createRedisBucketStore(redis, prefix, partitions);
  const absences = createRedisAbsenceStore(redis, prefix, partitions);
  const routing = startRouting({
    config,
    settings,
    redis,
    prefix,
    deliver: (notifications) => state.producer.deliver(notifications),
    gathered: (channel) => metrics.alertsGathered.inc({ channel }),
    log,
    now,
  });
  const lifecycle = createAlertLifecycle({
    history: state.history,
    silences: state.silences,
    resolves: state.resolves,
    inhibitor: createInhibitor({
      inhibitions: () => current().inhibitions,
      store: createRedisSourceStore(redis, prefix),
    }),
    send: (alert) => routing.dispatch(alert),
    channels: (alert) => routing.channelsOf(alert),
    recorded(alert, recordedState) {
      metrics.alerts.inc({ rule: alert.rule.id, severity: alert.rule.severity, state: recordedState });
      if (alert.received_at) metrics.alertLatency.observe((now() - alert.received_at) / 1000);
    },
    log,
    now,
  });
  const evaluator = createEvaluator({
    rules: current,
    catalog,
    windows,
    buckets,
    absences,
    maxSamples: config.alerts.samples,
    maskPhoneNumbers: config.alerts.mask_phone_numbers,
    maxFutureSkewMs: settings.rules.maxFutureSkewMs,
    maxWindowEntries: settings.rules.maxWindowEntries,
    // The worker reads no per-condition trace (that is for `test --explain`); skipping it keeps
    // unmatched events allocation-free and the worker's heap small.
    trace: false,
  });
  const stats = startStatsBuffer(createStatsRecorder(redis, prefix, statsShards(config.redis)), { log });
  const events = startEventsWorker({
    ...config.redis,
    concurrency: config.workers.concurrency,
    evaluator,
    handleAlerts: async (evaluation, batch) => {
      countEvaluation(metrics, evaluation);
      await lifecycle.handleFiring(evaluation.fired);
      // After the alerts (a batch that fails before is retried, and counted then); written in the background.
      stats.add(batch.events, evaluation, now());
    },
    log,
    now,
  });
  for (const worker of events.workers) {
    worker.on("completed", (job) => {
      if (job.finishedOn && job.processedOn)
        metrics.batchDuration.observe((job.finishedOn - job.processedOn) / 1000);
      if (job.finishedOn)
        metrics.jobLatency.observe({ queue: "events" }, (job.finishedOn - job.timestamp) / 1000);
    });
  }
  const resolver = startResolver({
    store: state.resolves,
    windows: combineInspectors({ windows, buckets, absences }),
    intervalMs: options.resolveIntervalMs ?? RESOLVE_INTERVAL_MS,
    ...(options.resolveLoop === false ? { loop: false } : {}),
    onResolved: (resolved, pending) => lifecycle.handleResolved(resolved, pending),
    log,
    now,
  });
  const sweeper = startAbsenceSweeper({
    rules: current,
    store: absences,
    catalog,
    async onFired(fired) {
      for (const { alert } of fired)
        log.info({ alert: alert.id, rule: alert.rule.id, group: alert.group }, "absence fired");
      metrics.windowOutcomes.inc({ outcome: "fired" }, fired.length);
      await lifecycle.handleFiring(fired);
    },
    intervalMs: options.sweepIntervalMs ?? RESOLVE_INTERVAL_MS,
    log,
    now,
  });
  return {
    resolveNow: () => resolver.tick(),
    sweepNow: async () => (await sweeper.tick()).length,
    async close() {
      // Loops first (no new alerts from them), then the events worker finishes the batches it holds.
      await resolver.close();
      await sweeper.close();
      await events.close();
      // Routing last: the batches just finished may have gathered alerts into digests.
      await routing.close();
      await stats.close();
    },
  };
}

/** countEvaluation adds a batch's per-rule evaluations and matches, and its window outcomes, to the metrics. */
function countEvaluation(metrics: Metrics, evaluation: Evaluation): void {
  for (const [rule, count] of evaluation.ruleCounts) {
    metrics.ruleEvaluations.inc({ rule }, count.evaluated);
    if (count.matched > 0) metrics.ruleMatches.inc({ rule }, count.matched);
  }
  for (const [outcome, n] of evaluation.windows.outcomes) metrics.windowOutcomes.inc({ outcome }, n);
  if (evaluation.windows.evicted > 0) metrics.windowEvictions.inc(evaluation.windows.evicted);
}
