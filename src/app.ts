// The one place that wires the stages together: ingest → events queue → evaluate → history/notify → channels.
import { Redis } from "ioredis";
import type { FastifyInstance } from "fastify";
import { createAlertHistory } from "./alerts/history.js";
import { createSilenceStore } from "./alerts/silences.js";
import { createCatalog } from "./catalog/index.js";
import type { LoadedConfig } from "./config/load.js";
import { parseSize } from "./config/sizes.js";
import type { Alert } from "./evaluate/alert.js";
import { createEvaluator } from "./evaluate/evaluator.js";
import { createRedisWindowStore } from "./evaluate/window/redis-store.js";
import { startEventsWorker } from "./evaluate/worker.js";
import { listDeadLetters, retryDeadLetter } from "./notify/dead-letters.js";
import { createNotificationsProducer } from "./notify/producer.js";
import { buildNotifiers } from "./notify/registry.js";
import { startNotificationsWorker } from "./notify/worker.js";
import { createEventsProducer } from "./queue/events.js";
import { redisOptions } from "./queue/connection.js";
import { createRuleRegistry } from "./rules/registry.js";
import { resolve } from "node:path";
import { parseDuration } from "./shared/duration.js";
import type { Logger } from "./shared/logger.js";
import { createMetrics, type Metrics } from "./shared/metrics.js";
import { buildServer } from "./server.js";

/** AppMode says which parts a process runs: HTTP, workers, or both. */
export type AppMode = "start" | "serve" | "worker";

/** App is a running waba-alerts process; `close` shuts it down gracefully. */
export interface App {
  readonly server?: FastifyInstance;
  readonly metrics: Metrics;
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
}

/** checkRedis resolves when Redis answers PING, or rejects with a one-line reason naming the URL. */
export async function checkRedis(url: string): Promise<void> {
  const client = new Redis({ ...redisOptions(url, "producer"), lazyConnect: true, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`);
  } finally {
    client.disconnect();
  }
}

/** redactUrl hides a password in a redis:// URL before it is printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return url;
  }
}

/** buildApp wires every stage for one process according to `mode`. */
export async function buildApp(opts: AppOptions): Promise<App> {
  const { loaded, mode, log } = opts;
  const { config } = loaded;
  const now = opts.now ?? Date.now;
  const metrics = createMetrics();
  const closers: Array<() => Promise<void>> = [];

  const rules = await createRuleRegistry(config.rules.paths, {
    baseDir: loaded.dir,
    channels: Object.keys(config.channels),
    defaults: config.defaults,
  }, {
    onReload(result) {
      if (result.ok) {
        metrics.rulesLoaded.set(result.set.rules.length);
        log.info({ rules: result.set.rules.length }, "rules reloaded");
      } else {
        metrics.ruleReloadFailures.inc();
        log.error({ problems: result.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`) }, "rule reload rejected; keeping the last good rules");
      }
    },
  });
  metrics.rulesLoaded.set(rules.current().rules.length);
  if (config.rules.watch && mode !== "serve") rules.watch();
  closers.push(async () => rules.close());

  const prefix = config.redis.prefix;
  const url = config.redis.url;
  const redis = new Redis(redisOptions(url, "worker"));
  closers.push(async () => {
    redis.disconnect();
  });
  const history = createAlertHistory(redis, prefix, config.alerts.history_size);
  const silences = createSilenceStore(redis, prefix);
  const backoffMs = parseDuration(config.notify.backoff) ?? 2000;
  const maxBackoffMs = parseDuration(config.notify.max_backoff) ?? 3_600_000;
  const producer = createNotificationsProducer({
    url,
    prefix,
    attempts: config.notify.attempts,
    backoffMs,
    maxBackoffMs,
  });
  closers.push(() => producer.close());

  let server: FastifyInstance | undefined;
  if (mode !== "worker") {
    const events = createEventsProducer({ url, prefix, log });
    closers.unshift(() => events.close());
    server = await buildServer({
      config,
      log,
      metrics,
      enqueue: (batch) => events.enqueue(batch),
      ready: async () => {
        if (!(await events.ping())) return "Redis is not answering";
        if (rules.current().rules.length === 0 && rules.lastProblems().length > 0) return "no rules could be loaded";
        return undefined;
      },
      rules,
      history,
      silences,
      deadLetters: {
        list: (limit) => listDeadLetters(redis, prefix, limit),
        retry: async (id) => (await retryDeadLetter(redis, prefix, id, producer)) !== undefined,
      },
      now,
    });
    const s = server;
    closers.unshift(() => s.close());
  }

  if (mode !== "serve") {
    const catalog = createCatalog(config.catalog);

    const handleAlerts = async (alerts: Alert[]): Promise<void> => {
      for (const alert of alerts) {
        const silence = await silences.matching(alert, now());
        const state = silence ? "silenced" : "firing";
        const isNew = await history.record(alert, state);
        if (isNew) {
          metrics.alerts.inc({ rule: alert.rule.id, severity: alert.rule.severity, state });
          if (alert.received_at) metrics.alertLatency.observe((now() - alert.received_at) / 1000);
          if (silence) log.info({ alert: alert.id, rule: alert.rule.id, silence: silence.id }, "alert silenced");
        }
        // A redelivered alert is enqueued again on purpose: the stable job id makes it a no-op,
        // and it covers a crash between recording and enqueuing.
        if (!silence) await producer.enqueue(alert);
      }
    };

    const evaluator = createEvaluator({
      rules: () => rules.current(),
      catalog,
      windows: createRedisWindowStore(redis, prefix),
      maxSamples: config.alerts.samples,
      maskPhoneNumbers: config.alerts.mask_phone_numbers,
    });
    const events = startEventsWorker({
      url,
      prefix,
      concurrency: config.workers.concurrency,
      evaluator,
      handleAlerts,
      log,
      now,
    });
    const notifiers = buildNotifiers({ ...config, email: { ...config.email, outbox: outboxDir(loaded) } }, log);
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
          .addDelivery(o.alertId, {
            channel: o.channel,
            attempt: o.attempt,
            result: o.result.kind,
            ...(error ? { error } : {}),
            final: o.final,
            at: o.at,
          })
          .catch((err: Error) => log.warn({ err: err.message }, "could not record a delivery outcome"));
      },
    });
    closers.unshift(async () => {
      await events.close();
      await notifications.close();
      await Promise.all([...notifiers.values()].map((n) => n.close()));
    });
  }

  return {
    server,
    metrics,
    async listen() {
      if (!server) return undefined;
      return server.listen({ host: config.server.host, port: config.server.port });
    },
    async close() {
      for (const close of closers) {
        try {
          await close();
        } catch (err) {
          log.warn({ err: (err as Error).message }, "error while shutting down");
        }
      }
    },
  };
}

/** bodyLimitBytes turns `server.body_limit` into bytes. */
export function bodyLimitBytes(value: string | number): number {
  return parseSize(value) ?? 3 * 1024 * 1024;
}

/** outboxDir resolves `email.outbox` against the config file's directory. */
export function outboxDir(loaded: LoadedConfig): string {
  return resolve(loaded.dir, loaded.config.email.outbox);
}
