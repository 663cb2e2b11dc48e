// ioredis options for BullMQ: producers fail fast (so a webhook gets 503), workers wait for Redis forever.
import type { RedisOptions } from "ioredis";

/** redisOptions turns a redis:// URL into ioredis options suited to a producer or a worker. */
export function redisOptions(url: string, role: "producer" | "worker"): RedisOptions {
  const u = new URL(url);
  const base: RedisOptions = {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    db: u.pathname && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
    connectTimeout: 2000,
  };
  if (role === "worker") return { ...base, maxRetriesPerRequest: null };
  return {
    ...base,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}
