// Shared Redis clean-up for tests on the real server.
import type { Redis } from "ioredis";

/** deleteKeys removes every key matching `pattern` (SCAN, so it never blocks Redis). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}
