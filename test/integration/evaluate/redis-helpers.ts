// Real-Redis helpers for the evaluate integration tests: isolated prefixes and thorough clean-up.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll } from "vitest";
import { deleteKeys } from "../../helpers/redis.js";

/** REDIS_URL is the test Redis. */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** randomPrefix is a key prefix no other test uses. */
export function randomPrefix(name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}

/** connect opens an ioredis connection to the test Redis. */
export function connect(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
}

export { deleteKeys };

/**
 * useRedisProperty opens a connection for a describe block (closed, and every key under its prefix
 * deleted, after it) and returns `check`, which runs a fast-check property on a fresh key prefix per run.
 */
export function useRedisProperty(name: string): <T>(
  arbitrary: fc.Arbitrary<T>,
  property: (redis: Redis, prefix: string, value: T) => Promise<void>,
  numRuns: number,
) => Promise<void> {
  const redis = connect();
  const base = randomPrefix(name);
  afterAll(async () => {
    await deleteKeys(redis, `${base}:*`);
    await redis.quit();
  });
  let run = 0;
  return (arbitrary, property, numRuns) =>
    fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        const prefix = `${base}:${++run}`;
        try {
          await property(redis, prefix, value);
        } finally {
          await deleteKeys(redis, `${prefix}:*`);
        }
      }),
      { numRuns },
    );
}
