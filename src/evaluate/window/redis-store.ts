// The Redis window store: one atomic Lua call per window per batch, the whole batch in one pipeline round trip.
import type { RedisClient } from "../../queue/redis-client.js";
import { groupByWindow, splitFuture } from "./batch.js";
import { type CountInspector, type CountProbe, countState, windowTtlMs } from "./limits.js";
import type { WindowClock, WindowHit, WindowOutcome, WindowState, WindowStore } from "./types.js";
import { LuaScript, scriptBatcher } from "./script-batch.js";
import { WINDOW_BATCH_LUA, WINDOW_KEYS } from "./window-script.js";

const SCRIPT = new LuaScript(WINDOW_BATCH_LUA);

type Reply = [string, ...unknown[]];

/**
 * hashTag is the `{…}` Redis Cluster hash tag of one rule+group window: the hit key with `%`, `{` and `}`
 * escaped, so every key of the window lands in one slot, as its script needs.
 */
export function hashTag(hitKey: string): string {
  return `{${hitKey.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
}

/** windowKeys names the four keys of one count or distinct rule+group window, under one hash tag. */
export function windowKeys(prefix: string, hitKey: string): [string, string, string, string] {
  const base = `${prefix}:window:${hashTag(hitKey)}`;
  return [`${base}:ids`, `${base}:values`, `${base}:state`, `${base}:samples`];
}

/** createRedisWindowStore counts hits in Redis under `prefix`, using the caller's ioredis connection. */
export function createRedisWindowStore(redis: RedisClient, prefix: string): WindowStore & CountInspector {
  const batcher = scriptBatcher(redis);
  return {
    async apply(hits: readonly WindowHit[], clock: WindowClock): Promise<WindowOutcome[]> {
      const { outcomes, counted } = splitFuture(hits, clock);
      if (counted.length === 0) return outcomes;
      const windows = groupByWindow(hits, counted);
      // Failing the whole batch is safe: a retry is idempotent by event id and refires lost crossings.
      const results = await Promise.all(
        windows.map((indexes) => {
          const keysAndArgs = scriptArgs(prefix, hits, indexes, clock.nowMs);
          return batcher.run(SCRIPT, keysAndArgs.slice(0, WINDOW_KEYS), keysAndArgs.slice(WINDOW_KEYS));
        }),
      );
      windows.forEach((indexes, w) => {
        const replies = results[w];
        indexes.forEach((hitIndex, j) => {
          outcomes[hitIndex] = toOutcome((replies as Reply[])[j] as Reply);
        });
      });
      return outcomes;
    },
    async inspect(probe: CountProbe, nowMs: number): Promise<WindowState> {
      const [ids, values, state] = windowKeys(prefix, probe.key);
      // Two independent reads of one slot need no atomicity: a hit landing between them only delays a resolve.
      const pipeline = redis.pipeline();
      pipeline.zcount(probe.distinct ? values : ids, `(${Math.trunc(nowMs - probe.windowMs)}`, "+inf");
      pipeline.hget(state, "above");
      const [[countErr, count] = [], [aboveErr, above] = []] = (await pipeline.exec()) ?? [];
      if (countErr) throw countErr;
      if (aboveErr) throw aboveErr;
      const aboveMs = typeof above === "string" ? Number(above) : undefined;
      return countState(
        probe,
        Number(count),
        aboveMs !== undefined && Number.isFinite(aboveMs) ? aboveMs : undefined,
      );
    },
  };
}

/** scriptArgs lays out KEYS and ARGV of one window's script call (see the script's header). */
function scriptArgs(
  prefix: string,
  hits: readonly WindowHit[],
  indexes: readonly number[],
  nowMs: number,
): string[] {
  const first = hits[indexes[0] as number] as WindowHit;
  const args = [
    ...windowKeys(prefix, first.key),
    String(Math.trunc(nowMs)),
    String(first.windowMs),
    String(first.moreThan),
    String(first.cooldownMs),
    String(windowTtlMs(first.windowMs, first.cooldownMs, first.resolveAfterMs)),
    first.distinctValue === undefined ? "0" : "1",
    String(first.maxSamples),
    String(first.maxEntries),
  ];
  for (const i of indexes) {
    const hit = hits[i] as WindowHit;
    args.push(hit.eventId, String(Math.trunc(hit.eventTimeMs)), hit.distinctValue ?? "", hit.sample);
  }
  return args;
}

function toOutcome(reply: Reply): WindowOutcome {
  const [kind, a, b, c, d, e, f, g, h] = reply;
  switch (kind) {
    case "late":
    case "duplicate":
      return { kind };
    case "counted":
      return Number(b) > 0 ? { kind, count: Number(a), evicted: Number(b) } : { kind, count: Number(a) };
    case "cooldown":
      return Number(c) > 0
        ? { kind, count: Number(a), untilMs: Number(b), evicted: Number(c) }
        : { kind, count: Number(a), untilMs: Number(b) };
    case "fired":
    case "refired": {
      const firing = {
        count: Number(a),
        eventCount: Number(b),
        firstSeenMs: Number(c),
        lastSeenMs: Number(d),
        crossingEventId: String(e),
        samples: Array.isArray(f) ? f.map(String) : [],
        capped: Number(g) === 1,
      };
      return Number(h) > 0 ? { kind, firing, evicted: Number(h) } : { kind, firing };
    }
    default:
      throw new Error(`window script returned an unknown outcome: ${String(kind)}`);
  }
}
