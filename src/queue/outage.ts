// One log line per Redis outage, however often a connection (standalone or cluster) repeats the error meanwhile.
import type { Logger } from "../shared/logger.js";
import { isCluster, type RedisClient } from "./redis-client.js";

/** QUIET_MS: an error after this long without one starts a new outage (a cluster never says it is back). */
export const QUIET_MS = 30_000;

/** MAX_ERROR_CHARS bounds an error in a log line. */
const MAX_ERROR_CHARS = 200;

/**
 * errorLine is what a log may say about a Redis error: the first line of its message, cut short. Never the
 * error object: ioredis attaches the failed command, whose arguments can be a whole Lua script.
 */
export function errorLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split("\n", 1)[0] ?? "";
  return first.length > MAX_ERROR_CHARS ? `${first.slice(0, MAX_ERROR_CHARS)}…` : first;
}

/** OutageLog turns a stream of connection errors into one warning per outage and one line when it ends. */
export interface OutageLog {
  /** report logs the first error of an outage; the rest are counted. */
  report(err: unknown): void;
  /** recovered ends the outage (logging how many errors it hid), if there was one. */
  recovered(): void;
  /** down says whether an outage is going on. */
  readonly down: boolean;
}

/** OutageHooks let a caller follow outages (e.g. the waba_redis_up gauge). */
export interface OutageHooks {
  onDown?(): void;
  onUp?(): void;
  now?(): number;
}

/** createOutageLog reports outages of `what` (e.g. "events queue") to `log`. */
export function createOutageLog(log: Logger | undefined, what: string, hooks: OutageHooks = {}): OutageLog {
  const now = hooks.now ?? Date.now;
  let down = false;
  let hidden = 0;
  let lastAt = 0;
  return {
    report(err) {
      const at = now();
      if (down && at - lastAt < QUIET_MS) {
        hidden++;
        lastAt = at;
        return;
      }
      down = true;
      hidden = 0;
      lastAt = at;
      log?.warn({ err: errorLine(err) }, `${what}: Redis connection lost`);
      hooks.onDown?.();
    },
    recovered() {
      if (!down) {
        hooks.onUp?.();
        return;
      }
      down = false;
      log?.info({ errors: hidden + 1 }, `${what}: Redis connection back`);
      hooks.onUp?.();
    },
    get down() {
      return down;
    },
  };
}

/** watchConnection feeds a connection's errors (a cluster's per-node ones too) and its recoveries to `outage`. */
export function watchConnection(client: RedisClient, outage: OutageLog): void {
  client.on("error", (err: Error) => outage.report(err));
  if (isCluster(client)) client.on("node error", (err: Error) => outage.report(err));
  client.on("ready", () => outage.recovered());
}
