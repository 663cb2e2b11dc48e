// What the Redis server does to keep acknowledged events across its own restart, and the start-up line about it.
import type { Redis } from "ioredis";

/** RedisPersistence says whether Redis writes an append-only file and RDB snapshots (undefined: could not tell). */
export interface RedisPersistence {
  readonly aof: boolean | undefined;
  readonly rdb: boolean | undefined;
  /** How it was learnt: CONFIG GET, or INFO persistence where CONFIG is disabled (managed Redis). */
  readonly via: "config" | "info" | "none";
}

/** readPersistence asks Redis how it persists; it never throws (CONFIG may be renamed or forbidden). */
export async function readPersistence(client: Redis): Promise<RedisPersistence> {
  try {
    const [, appendonly] = (await client.config("GET", "appendonly")) as string[];
    const [, save] = (await client.config("GET", "save")) as string[];
    if (appendonly !== undefined && save !== undefined)
      return { aof: appendonly === "yes", rdb: save.trim() !== "", via: "config" };
  } catch {
    // CONFIG disabled: fall back to INFO, which tells AOF but not the snapshot schedule.
  }
  try {
    const info = await client.info("persistence");
    const aof = /^aof_enabled:(\d)/m.exec(info)?.[1];
    if (aof !== undefined) return { aof: aof === "1", rdb: undefined, via: "info" };
  } catch {
    // INFO forbidden too: nothing to say.
  }
  return { aof: undefined, rdb: undefined, via: "none" };
}

/** PersistenceNote is the one start-up line about persistence, at the level it deserves. */
export interface PersistenceNote {
  readonly level: "warn" | "info";
  readonly message: string;
}

const FIX = "set `appendonly yes` (with `appendfsync everysec`) on the Redis server; see docs/operations.md";

/** persistenceNote turns what Redis said into the start-up line, or undefined when the AOF is on. */
export function persistenceNote(p: RedisPersistence): PersistenceNote | undefined {
  if (p.aof === true) return undefined;
  if (p.via === "none")
    return { level: "info", message: "could not ask Redis how it persists data (CONFIG and INFO refused)" };
  if (p.rdb === false)
    return {
      level: "warn",
      message: `Redis has no persistence (appendonly no, no save points): every acknowledged event, open window and queued notification is lost if Redis restarts; ${FIX}`,
    };
  if (p.rdb === true)
    return {
      level: "warn",
      message: `Redis only takes RDB snapshots (appendonly no): events acknowledged since the last snapshot are lost if Redis restarts; ${FIX}`,
    };
  return {
    level: "warn",
    message: `Redis has appendonly off and CONFIG is disabled, so its snapshots could not be checked: acknowledged events may be lost if Redis restarts; ${FIX}`,
  };
}
