// What every mode of a process shares in Redis: the state connection, alert history, silences, pending
// resolves and the notifications producer.
import { Redis } from "ioredis";
import { type AlertHistoryStore, createAlertHistory } from "../alerts/history.js";
import { createResolveStore, type ResolveStore } from "../alerts/resolve-store.js";
import { createSilenceStore, type SilenceStore } from "../alerts/silences.js";
import { createNotificationsProducer, type NotificationsProducer } from "../notify/producer.js";
import { redisOptions } from "../queue/connection.js";
import type { AppContext, Part } from "./context.js";

/** StatePart is the process's shared Redis state. */
export interface StatePart extends Part {
  readonly redis: Redis;
  readonly history: AlertHistoryStore;
  readonly silences: SilenceStore;
  readonly resolves: ResolveStore;
  readonly producer: NotificationsProducer;
}

/** buildState opens the state connection (one log line per outage) and the stores on it. */
export function buildState(ctx: AppContext): StatePart {
  const { config, settings, log, metrics } = ctx;
  const { prefix, url } = config.redis;
  const redis = new Redis(redisOptions(url, "worker"));
  let down = false;
  redis.on("error", (err: Error) => {
    // ioredis repeats the error on every reconnect attempt; one line per outage is enough.
    if (!down) log.warn({ err: err.message }, "state connection: Redis unavailable");
    down = true;
    metrics.redisUp.set(0);
  });
  redis.on("ready", () => {
    down = false;
    metrics.redisUp.set(1);
  });
  redis.on("close", () => metrics.redisUp.set(0));
  const resolves = createResolveStore(redis, prefix);
  metrics.setPendingResolveSource(() => resolves.size());
  const { retention } = settings;
  const producer = createNotificationsProducer({
    url,
    prefix,
    attempts: settings.notify.attempts,
    keepJobs: retention.notificationJobs,
  });
  return {
    redis,
    history: createAlertHistory(redis, prefix, config.alerts.history_size, retention.historyMaxAgeMs),
    silences: createSilenceStore(redis, prefix, {
      mask: config.alerts.mask_phone_numbers,
      max: retention.silences,
    }),
    resolves,
    producer,
    async close() {
      await producer.close();
      redis.disconnect();
    },
  };
}
