// Redis figures for the report (used_memory, window keys) and clean-up of a bench run's keys.
import { Redis } from "ioredis";

/** RedisStats reads memory and key counts of one bench prefix. */
export interface RedisStats {
  usedMemoryMb(): Promise<number>;
  /** countKeys counts keys matching `pattern` (bounded SCAN). */
  countKeys(pattern: string): Promise<number>;
  /** deleteKeys removes every key matching `pattern` and returns how many. */
  deleteKeys(pattern: string): Promise<number>;
  /** commandsProcessed is the total number of commands Redis has processed (INFO stats), for round-trip counting. */
  commandsProcessed(): Promise<number>;
  version(): Promise<string>;
  /** pid is redis-server's process id (its CPU time is read from /proc when it runs on this box). */
  pid(): Promise<number>;
  close(): void;
}

/** openRedisStats connects a plain client to `url`. */
export function openRedisStats(url: string): RedisStats {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  const info = async (section: string, field: string): Promise<number> => {
    const text = await redis.info(section);
    const m = new RegExp(`^${field}:(\\d+)`, "m").exec(text);
    return m?.[1] ? Number(m[1]) : 0;
  };
  async function scanEach(pattern: string, each: (keys: string[]) => Promise<void>): Promise<void> {
    let cursor = "0";
    for (let i = 0; i < 100_000; i++) {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      if (keys.length > 0) await each(keys);
      cursor = next;
      if (cursor === "0") return;
    }
  }
  return {
    async usedMemoryMb() {
      return (await info("memory", "used_memory")) / (1024 * 1024);
    },
    async countKeys(pattern) {
      let n = 0;
      await scanEach(pattern, async (keys) => {
        n += keys.length;
      });
      return n;
    },
    async deleteKeys(pattern) {
      let n = 0;
      await scanEach(pattern, async (keys) => {
        n += await redis.unlink(...keys);
      });
      return n;
    },
    async commandsProcessed() {
      return info("stats", "total_commands_processed");
    },
    async version() {
      const m = /^redis_version:(\S+)/m.exec(await redis.info("server"));
      return m?.[1] ?? "unknown";
    },
    async pid() {
      return info("server", "process_id");
    },
    close() {
      redis.disconnect();
    },
  };
}
