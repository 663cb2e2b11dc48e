// The one place that wires the stages together: ingest → events queue → evaluate → history/notify → channels.
import { Redis } from "ioredis";
import type { FastifyInstance } from "fastify";
import { createAlertHistory } from "./alerts/history.js";
import { createInhibitor } from "./alerts/inhibit.js";
import { createRedisSourceStore } from "./alerts/inhibit-store.js";
import { createAlertLifecycle } from "./alerts/lifecycle.js";
import { createResolveStore } from "./alerts/resolve-store.js";
import { startResolver } from "./alerts/resolver.js";
import { createSilenceStore } from "./alerts/silences.js";
import { createCatalog } from "./catalog/index.js";
import type { LoadedConfig } from "./config/load.js";
import { createEvaluator, type Evaluation } from "./evaluate/evaluator.js";
import { createRedisAbsenceStore } from "./evaluate/absence/redis-store.js";
import { startAbsenceSweeper } from "./evaluate/absence/sweeper.js";
import { combineInspectors } from "./evaluate/inspect.js";
import { createRedisBucketStore } from "./evaluate/window/bucket-redis.js";
import { createRedisWindowStore } from "./evaluate/window/redis-store.js";
import { startEventsWorker } from "./evaluate/worker.js";
import { listDeadLetters, retryDeadLetter } from "./notify/dead-letters.js";
import { createNotificationsProducer } from "./notify/producer.js";
import { buildNotifiers } from "./notify/registry.js";
import { startNotificationsWorker } from "./notify/worker.js";
import { createEventsProducer } from "./queue/events.js";
import { redisOptions } from "./queue/connection.js";
import { startRouting } from "./route/stage.js";
import { createRuleRegistry } from "./rules/registry.js";
import { resolve } from "node:path";
import { parseDuration } from "./shared/duration.js";
import { createStatsReader, createStatsRecorder } from "./stats/index.js";
import type { Logger } from "./shared/logger.js";
import { createMetrics, type Metrics } from "./shared/metrics.js";

/** AppMode says which parts a process runs: HTTP, workers, or both. */
export type AppMode = "start" | "serve" | "worker";

/** App is a running waba-alerts process; `close` shuts it down gracefully. */
export interface App {
  readonly server?: FastifyInstance;
  readonly metrics: Metrics;
  /** resolveNow runs one resolver pass at once (workers only) and says how many firings resolved. */
  readonly resolveNow?: () => Promise<number>;
  /** listen starts the HTTP server (serve/start) and resolves to its address. */
  listen(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** AppOptions are what a process needs to build the app. */
export interface AppOptions {
  loaded: LoadedConfig;
  mode: AppMode;
  log: Logger;
  now?: () => number;
  /** How often workers look for firings to resolve (default 5 s; tests shorten it). */
  resolveIntervalMs?: number;
  /** False: no background resolver loop, passes only through App.resolveNow (deterministic tests). */
  resolveLoop?: boolean;
  /** How often workers look for groups of absent rules that went silent (default 5 s; tests shorten it). */
  sweepIntervalMs?: number;
}

/** DRY_RUN_MAX_EVENTS bounds one console dry run, so a paste cannot stall the server for long. */
export const DRY_RUN_MAX_EVENTS = 5000;

/** RESOLVE_INTERVAL_MS is how often, by default, a worker process looks for firings that have calmed down. */
export const RESOLVE_INTERVAL_MS = 5000;

/** buildApp wires every stage for one process according to `mode`. */
export async function buildApp(opts: AppOptions): Promise<App> {
  const { loaded, mode, log } = opts;
  const { config } = loaded;
  const now = opts.now ?? Date.now;
  const metrics = createMetrics();
  // Shutdown order: stop taking requests (finishing those in flight), then finish jobs, then let go of Redis.
  const intake: Array<() => Promise<void>> = [];
  const work: Array<() => Promise<void>> = [];
  const release: Array<() => Promise<void>> = [];

  const rules = await createRuleRegistry(
    config.rules.paths,
    {
      baseDir: loaded.dir,
      channels: Object.keys(config.channels),
      defaults: config.defaults,
    },
    {
      onReload(result) {
        if (result.ok) {
          metrics.rulesLoaded.set(result.set.rules.length);
          log.info({ rules: result.set.rules.length }, "rules reloaded");
        } else {
          metrics.ruleReloadFailures.inc();
          log.error(
            { problems: result.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`) },
            "rule reload rejected; keeping the last good rules",
          );
        }
      },
    },
  );
  metrics.rulesLoaded.set(rules.current().rules.length);
  if (config.rules.watch) rules.watch();
  release.push(async () => rules.close());

  const prefix = config.redis.prefix;
  const url = config.redis.url;
  const redis = new Redis(redisOptions(url, "worker"));
  let redisDown = false;
  redis.on("error", (err: Error) => {
    // ioredis repeats the error on every reconnect attempt; one line per outage is enough.
    if (!redisDown) log.warn({ err: err.message }, "state connection: Redis unavailable");
    redisDown = true;
    metrics.redisUp.set(0);
  });
  redis.on("ready", () => {
    redisDown = false;
    metrics.redisUp.set(1);
  });
  redis.on("close", () => metrics.redisUp.set(0));
  const noRules = () =>
    rules.current().rules.length === 0 && rules.lastProblems().length > 0 ? "no rules could be loaded" : undefined;
  release.push(async () => {
    redis.disconnect();
  });
  const history = createAlertHistory(redis, prefix, config.alerts.history_size);
  const silences = createSilenceStore(redis, prefix);
  const resolves = createResolveStore(redis, prefix);
  metrics.setPendingResolveSource(() => resolves.size());
  const backoffMs = parseDuration(config.notify.backoff) ?? 2000;
  const maxBackoffMs = parseDuration(config.notify.max_backoff) ?? 3_600_000;
  const producer = createNotificationsProducer({
    url,
    prefix,
    attempts: config.notify.attempts,
    backoffMs,
    maxBackoffMs,
  });
  release.unshift(() => producer.close());

  let server: FastifyInstance | undefined;
  let resolveNow: (() => Promise<number>) | undefined;
  if (mode !== "worker") {
    // Imported here so that a worker process never loads Fastify, Bull Board and the admin API.
    const { buildServer } = await import("./server.js");
    const { openQueueViews } = await import("./api/queue-views.js");
    const events = createEventsProducer({ url, prefix, log });
    const views = openQueueViews(url, prefix);
    metrics.setQueueDepthSource(() => views.counts());
    intake.push(() => views.close());
    intake.push(() => events.close());
    server = await buildServer({
      config,
      log,
      metrics,
      enqueue: (batch) => events.enqueue(batch),
      ready: async () => {
        if (!(await events.ping())) return "Redis is not answering";
        return noRules();
      },
      rules,
      history,
      silences,
      deadLetters: {
        list: (limit) => listDeadLetters(redis, prefix, limit),
        retry: async (id) => (await retryDeadLetter(redis, prefix, id, producer)) !== undefined,
      },
      queues: views.queues,
      stats: createStatsReader(redis, prefix),
      dryRun: async (text) => {
        const { dryRunText } = await import("./dryrun/text.js");
        const deps = {
          rules: rules.current(),
          catalog: createCatalog(config.catalog),
          maxSamples: config.alerts.samples,
          maskPhoneNumbers: config.alerts.mask_phone_numbers,
          maxFutureSkewMs: parseDuration(config.rules.max_future_skew) ?? 300_000,
          maxWindowEntries: config.rules.max_window_entries,
        };
        return dryRunText(text, "pasted", deps, DRY_RUN_MAX_EVENTS);
      },
      now,
    });
    const s = server;
    intake.unshift(() => s.close());
  }

  if (mode !== "serve") {
    const catalog = createCatalog(config.catalog);
    const windows = createRedisWindowStore(redis, prefix);
    const routing = startRouting({
      config,
      redis,
      prefix,
      deliver: (notifications) => producer.deliver(notifications),
      gathered: (channel) => metrics.alertsGathered.inc({ channel }),
      log,
      now,
    });
    const buckets = createRedisBucketStore(redis, prefix);
    const absences = createRedisAbsenceStore(redis, prefix);
    const lifecycle = createAlertLifecycle({
      history,
      silences,
      resolves,
      inhibitor: createInhibitor({
        inhibitions: () => rules.current().inhibitions,
        store: createRedisSourceStore(redis, prefix),
      }),
      send: (alert) => routing.dispatch(alert),
      recorded(alert, state) {
        metrics.alerts.inc({ rule: alert.rule.id, severity: alert.rule.severity, state });
        if (alert.received_at) metrics.alertLatency.observe((now() - alert.received_at) / 1000);
      },
      log,
      now,
    });

    const evaluator = createEvaluator({
      rules: () => rules.current(),
      catalog,
      windows,
      buckets,
      absences,
      maxSamples: config.alerts.samples,
      maskPhoneNumbers: config.alerts.mask_phone_numbers,
      maxFutureSkewMs: parseDuration(config.rules.max_future_skew) ?? 300_000,
      maxWindowEntries: config.rules.max_window_entries,
      // The worker reads no per-condition trace (that is for `test --explain`); skipping it keeps
      // unmatched events allocation-free and the worker's heap small.
      trace: false,
    });
    const stats = createStatsRecorder(redis, prefix);
    const events = startEventsWorker({
      url,
      prefix,
      concurrency: config.workers.concurrency,
      evaluator,
      handleAlerts: async (evaluation, batch) => {
        countRules(metrics, evaluation);
        await lifecycle.handleFiring(evaluation.fired);
        // After the alerts, and never failing the batch: a retried batch would count its events twice.
        await stats
          .record(batch.events, evaluation, now())
          .catch((err: Error) => log.warn({ err: err.message }, "could not record activity counters"));
      },
      log,
      now,
    });
    events.worker.on("completed", (job) => {
      if (job.finishedOn && job.processedOn)
        metrics.batchDuration.observe((job.finishedOn - job.processedOn) / 1000);
      if (job.finishedOn)
        metrics.jobLatency.observe({ queue: "events" }, (job.finishedOn - job.timestamp) / 1000);
    });
    const resolver = startResolver({
      store: resolves,
      windows: combineInspectors({ windows, buckets, absences }),
      intervalMs: opts.resolveIntervalMs ?? RESOLVE_INTERVAL_MS,
      ...(opts.resolveLoop === false ? { loop: false } : {}),
      onResolved: (resolved, pending) => lifecycle.handleResolved(resolved, pending),
      log,
      now,
    });
    resolveNow = () => resolver.tick();
    const sweeper = startAbsenceSweeper({
      rules: () => rules.current(),
      store: absences,
      catalog,
      async onFired(fired) {
        for (const { alert } of fired)
          log.info({ alert: alert.id, rule: alert.rule.id, group: alert.group }, "absence fired");
        metrics.windowOutcomes.inc({ outcome: "fired" }, fired.length);
        await lifecycle.handleFiring(fired);
      },
      intervalMs: opts.sweepIntervalMs ?? RESOLVE_INTERVAL_MS,
      log,
      now,
    });
    const notifiers = buildNotifiers(
      { ...config, email: { ...config.email, outbox: outboxDir(loaded) } },
      log,
    );
    const notifications = startNotificationsWorker({
      url,
      prefix,
      notifiers,
      attempts: config.notify.attempts,
      backoffMs,
      maxBackoffMs,
      log,
      onOutcome(o) {
        metrics.notifications.inc({ channel: o.channel, result: o.result.kind });
        if (o.final && o.result.kind !== "ok") metrics.deadLetters.inc({ channel: o.channel });
        const error = o.result.kind === "ok" ? undefined : o.result.error;
        history
          .addDelivery(o.alertIds, {
            channel: o.channel,
            attempt: o.attempt,
            result: o.result.kind,
            ...(error ? { error } : {}),
            final: o.final,
            at: o.at,
            ...(o.digestId ? { digest: o.digestId } : {}),
          })
          .catch((err: Error) => log.warn({ err: err.message }, "could not record a delivery outcome"));
      },
    });
    notifications.worker.on("completed", (job) => {
      if (job.finishedOn) {
        metrics.jobLatency.observe({ queue: "notifications" }, (job.finishedOn - job.timestamp) / 1000);
      }
    });
    if (mode === "worker" && config.workers.metrics_port > 0) {
      const { buildMetricsServer } = await import("./server.js");
      // The worker's own connection: it reconnects for ever, so "not ready" means not answering right now.
      const m = buildMetricsServer(metrics, log, async () =>
        redis.status === "ready" ? noRules() : "Redis is not answering",
      );
      server = m;
      intake.unshift(() => m.close());
    }
    work.push(async () => {
      await resolver.close();
      await routing.close();
      await sweeper.close();
      await events.close();
      await notifications.close();
      await Promise.all([...notifiers.values()].map((n) => n.close()));
    });
  }

  return {
    server,
    metrics,
    ...(resolveNow ? { resolveNow } : {}),
    async listen() {
      if (!server) return undefined;
      const port = mode === "worker" ? config.workers.metrics_port : config.server.port;
      return server.listen({ host: config.server.host, port });
    },
    async close() {
      const steps = [...intake, ...work, ...release];
      for (const [i, close] of steps.entries()) {
        try {
          log.debug({ step: i + 1, of: steps.length }, "shutdown step");
          await close();
        } catch (err) {
          log.warn({ err: (err as Error).message }, "error while shutting down");
        }
      }
    },
  };
}

/** countRules adds a batch's per-rule evaluations and matches to the metrics. */
function countRules(metrics: Metrics, evaluation: Evaluation): void {
  for (const [rule, count] of evaluation.ruleCounts) {
    metrics.ruleEvaluations.inc({ rule }, count.evaluated);
    if (count.matched > 0) metrics.ruleMatches.inc({ rule }, count.matched);
  }
  for (const [outcome, n] of evaluation.windows.outcomes) metrics.windowOutcomes.inc({ outcome }, n);
  if (evaluation.windows.evicted > 0) metrics.windowEvictions.inc(evaluation.windows.evicted);
}

/** outboxDir resolves `email.outbox` against the config file's directory. */
export function outboxDir(loaded: LoadedConfig): string {
  return resolve(loaded.dir, loaded.config.email.outbox);
}
