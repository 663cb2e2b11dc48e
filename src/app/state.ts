// What every mode of a process shares in Redis: the state connection, alert history, silences, pending
// resolves and the notifications producer.
import { type AlertHistoryStore, createAlertHistory } from "../alerts/history.js";
import { createResolveStore, type ResolveStore } from "../alerts/resolve-store.js";
import { createSilenceStore, type SilenceStore } from "../alerts/silences.js";
import { createNotificationsProducer, type NotificationsProducer } from "../notify/producer.js";
import { createOutageLog, watchConnection } from "../queue/outage.js";
import { queuePartitions } from "../queue/partitions.js";
import { createRedisClient, type RedisClient } from "../queue/redis-client.js";
import type { AppContext, Part } from "./context.js";

/** StatePart is the process's shared Redis state. */
export interface StatePart extends Part {
  readonly redis: RedisClient;
  readonly history: AlertHistoryStore;
  readonly silences: SilenceStore;
  readonly resolves: ResolveStore;
  readonly producer: NotificationsProducer;
}

/** buildState opens the state connection (one log line per outage) and the stores on it. */
export function buildState(ctx: AppContext): StatePart {
  const { config, settings, log, metrics } = ctx;
  const { prefix } = config.redis;
  const redis = createRedisClient(config.redis, "worker");
  // ioredis repeats the error on every reconnect attempt; one line per outage is enough.
  const outage = createOutageLog(log, "state connection", {
    onDown: () => metrics.redisUp.set(0),
    onUp: () => metrics.redisUp.set(1),
  });
  watchConnection(redis, outage);
  redis.on("close", () => metrics.redisUp.set(0));
  const resolves = createResolveStore(redis, prefix);
  metrics.setPendingResolveSource(() => resolves.size());
  const { retention } = settings;
  const producer = createNotificationsProducer({
    ...config.redis,
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

/** statsShards are the hash tags the activity counters are spread over: those of the queue partitions. */
export function statsShards(redis: { readonly prefix: string; readonly partitions: number }): string[] {
  return queuePartitions(redis.prefix, redis.partitions).map((p) => p.tag);
}
