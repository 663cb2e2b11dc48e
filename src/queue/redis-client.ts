// The one place Redis connections are opened: a standalone server (`redis.url`) or a Redis Cluster (`redis.cluster`).
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import { redisOptions } from "./connection.js";

/** RedisClient is a connection to either kind of Redis; every store and queue works with both. */
export type RedisClient = Redis | Cluster;

/** RedisTarget says where Redis is: the `cluster` seed nodes when there are any, else `url`. */
export interface RedisTarget {
  readonly url: string;
  readonly cluster?: readonly string[] | undefined;
}

/**
 * ClientRole is what a connection is for: a `producer` fails fast (a webhook answers 503 at once and Meta
 * retries), a `worker` waits for Redis for ever (BullMQ's blocking reads need `maxRetriesPerRequest: null`).
 */
export type ClientRole = "producer" | "worker";

/** ClientTweaks are per-connection exceptions: `once` connects on demand and never reconnects (start-up checks). */
export interface ClientTweaks {
  readonly once?: boolean;
}

/** usesCluster says whether a target names cluster seed nodes (then `url` is not used). */
export function usesCluster(target: RedisTarget): boolean {
  return (target.cluster?.length ?? 0) > 0;
}

/** isCluster tells a Cluster connection from a standalone one. */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as Cluster).isCluster === true;
}

/** createRedisClient opens a connection of `role` to the target; the caller owns it and must close it. */
export function createRedisClient(target: RedisTarget, role: ClientRole, tweaks: ClientTweaks = {}): RedisClient {
  if (!usesCluster(target)) {
    return new Redis({
      ...redisOptions(target.url, role),
      ...(tweaks.once ? { lazyConnect: true, retryStrategy: () => null } : {}),
    });
  }
  const seeds = target.cluster ?? [];
  return new Cluster(
    seeds.map((url) => {
      const u = new URL(url);
      return { host: u.hostname || "127.0.0.1", port: u.port ? Number(u.port) : 6379 };
    }),
    clusterOptions(seeds[0] as string, role, tweaks),
  );
}

/**
 * clusterOptions: the node options (credentials, TLS, timeouts, retries per command) come from the first
 * seed URL; every node of one cluster shares them. Redirections during a failover wait a little and retry.
 */
function clusterOptions(seed: string, role: ClientRole, tweaks: ClientTweaks): ClusterOptions {
  const { host: _h, port: _p, db: _db, retryStrategy: _r, enableOfflineQueue: _o, ...node } = redisOptions(seed, role);
  const nodeOptions: RedisOptions = node;
  return {
    redisOptions: nodeOptions,
    enableOfflineQueue: role === "worker",
    enableReadyCheck: true,
    // A failover takes the cluster a second or two: redirected commands wait and retry meanwhile.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2000,
    clusterRetryStrategy: tweaks.once ? () => null : (times: number) => Math.min(100 + times * 200, 2000),
    ...(tweaks.once ? { lazyConnect: true } : {}),
  };
}

/** describeTarget names where Redis is for messages, passwords hidden. */
export function describeTarget(target: RedisTarget): string {
  if (!usesCluster(target)) return `Redis at ${redactUrl(target.url)}`;
  return `the Redis Cluster at ${(target.cluster ?? []).map(redactUrl).join(", ")}`;
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

/** QUIT_WAIT_MS bounds how long closing waits for Redis to answer QUIT before cutting the connection. */
const QUIT_WAIT_MS = 2000;

/**
 * closeClient quits politely when Redis is there (replies still on their way arrive first) and cuts the
 * connection otherwise: a connection that queues commands while Redis is away would hold QUIT for ever.
 */
export async function closeClient(client: RedisClient): Promise<void> {
  if (client.status === "ready") {
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, QUIT_WAIT_MS);
    });
    await Promise.race([client.quit().then(() => undefined, () => undefined), cap]);
    clearTimeout(timer);
  }
  client.disconnect();
}
