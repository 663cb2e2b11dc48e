// The start-up check that Redis answers, with a one-line reason that never shows a password.
import { Redis } from "ioredis";
import { redisOptions } from "./connection.js";
import { type RedisPersistence, readPersistence } from "./redis-persistence.js";

/**
 * checkRedis resolves to how Redis persists data once it answers PING, or rejects with a one-line reason
 * naming the URL.
 */
export async function checkRedis(url: string): Promise<RedisPersistence> {
  const client = new Redis({
    ...redisOptions(url, "producer"),
    lazyConnect: true,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`);
  }
  try {
    return await readPersistence(client);
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
