// The start-up check that Redis answers, with a one-line reason that never shows a password.
import {
  closeClient,
  createRedisClient,
  describeTarget,
  isCluster,
  type RedisClient,
  type RedisTarget,
  redactUrl,
} from "./redis-client.js";
import { type RedisPersistence, readPersistence } from "./redis-persistence.js";

export { redactUrl };

/**
 * checkRedis resolves to how Redis persists data once it answers PING (on a cluster: every master, the
 * least durable answer), or rejects with a one-line reason naming where Redis was looked for. A `redis.url`
 * that points at one node of a cluster is refused: each key lives on one node, and the others answer MOVED.
 */
export async function checkRedis(target: RedisTarget | string): Promise<RedisPersistence> {
  const where: RedisTarget = typeof target === "string" ? { url: target } : target;
  const client = createRedisClient(where, "producer", { once: true });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(`cannot reach ${describeTarget(where)}: ${firstLine(err)}`);
  }
  try {
    if (isCluster(client)) return leastDurable(await Promise.all(client.nodes("master").map(readPersistence)));
    await refuseClusterNode(client, where);
    return await readPersistence(client);
  } finally {
    await closeClient(client);
  }
}

async function refuseClusterNode(client: RedisClient, where: RedisTarget): Promise<void> {
  const info = await client.info("cluster").catch(() => "");
  if (/^cluster_enabled:1/m.test(info)) {
    throw new Error(
      `${describeTarget(where)} is a node of a Redis Cluster: list the cluster's nodes under redis.cluster (for example redis.cluster: ["${redactUrl(where.url)}"]) instead of redis.url`,
    );
  }
}

/** leastDurable folds the masters' answers into one: off anywhere is off, unknown anywhere stays unknown. */
function leastDurable(all: readonly RedisPersistence[]): RedisPersistence {
  const fold = (pick: (p: RedisPersistence) => boolean | undefined) =>
    all.some((p) => pick(p) === false) ? false : all.some((p) => pick(p) === undefined) ? undefined : true;
  const via = all.some((p) => p.via === "none") ? "none" : all.some((p) => p.via === "info") ? "info" : "config";
  return { aof: fold((p) => p.aof), rdb: fold((p) => p.rdb), via };
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0] ?? "";
}
