// Real-Redis helpers for the evaluate integration tests: isolated prefixes and thorough clean-up.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

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

export { deleteKeys } from "../../helpers/redis.js";
