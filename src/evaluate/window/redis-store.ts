// The Redis window store: one atomic Lua call per window per batch, the whole batch in one pipeline round trip.
import type { Redis } from "ioredis";
import { groupByWindow } from "./batch.js";
import { isFuture, windowTtlMs } from "./limits.js";
import type {
  WindowClock,
  WindowHit,
  WindowInspector,
  WindowOutcome,
  WindowProbe,
  WindowState,
  WindowStore,
} from "./types.js";
import { WINDOW_BATCH_LUA, WINDOW_KEYS } from "./window-script.js";

const COMMAND = "wabaWindowBatch";

/** WindowCommand is the pipeline method ioredis adds for the window script (defineCommand is untyped). */
interface WindowCommand {
  wabaWindowBatch(...keysAndArgs: string[]): unknown;
}

type Reply = [string, ...unknown[]];

/**
 * windowKeys names the four keys of one rule+group window. They share one hash tag (the hit key with
 * braces escaped) so a Redis Cluster keeps them in one slot, as the script needs.
 */
export function windowKeys(prefix: string, hitKey: string): [string, string, string, string] {
  const tag = hitKey.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const base = `${prefix}:window:{${tag}}`;
  return [`${base}:ids`, `${base}:values`, `${base}:state`, `${base}:samples`];
}

/** createRedisWindowStore counts hits in Redis under `prefix`, using the caller's ioredis connection. */
export function createRedisWindowStore(redis: Redis, prefix: string): WindowStore & WindowInspector {
  if (!(COMMAND in redis)) {
    redis.defineCommand(COMMAND, { numberOfKeys: WINDOW_KEYS, lua: WINDOW_BATCH_LUA });
  }
  return {
    async apply(hits: readonly WindowHit[], clock: WindowClock): Promise<WindowOutcome[]> {
      const outcomes: WindowOutcome[] = new Array(hits.length);
      const counted: number[] = [];
      hits.forEach((hit, i) => {
        if (isFuture(hit, clock)) outcomes[i] = { kind: "future" };
        else counted.push(i);
      });
      if (counted.length === 0) return outcomes;
      const windows = groupByWindow(hits, counted);
      const pipeline = redis.pipeline();
      const command = pipeline as unknown as WindowCommand;
      for (const indexes of windows)
        command.wabaWindowBatch(...scriptArgs(prefix, hits, indexes, clock.nowMs));
      const results = (await pipeline.exec()) ?? [];
      windows.forEach((indexes, w) => {
        const [error, replies] = results[w] ?? [new Error("missing pipeline reply"), undefined];
        // Failing the whole batch is safe: a retry is idempotent by event id and refires lost crossings.
        if (error) throw error;
        indexes.forEach((hitIndex, j) => {
          outcomes[hitIndex] = toOutcome((replies as Reply[])[j] as Reply);
        });
      });
      return outcomes;
    },
    async inspect(probe: WindowProbe, nowMs: number): Promise<WindowState> {
      const [ids, values, state] = windowKeys(prefix, probe.key);
      // Two independent reads of one slot need no atomicity: a hit landing between them only delays a resolve.
      const pipeline = redis.pipeline();
      pipeline.zcount(probe.distinct ? values : ids, `(${Math.trunc(nowMs - probe.windowMs)}`, "+inf");
      pipeline.hget(state, "above");
      const [[countErr, count] = [], [aboveErr, above] = []] = (await pipeline.exec()) ?? [];
      if (countErr) throw countErr;
      if (aboveErr) throw aboveErr;
      const aboveMs = typeof above === "string" ? Number(above) : undefined;
      return {
        count: probe.windowMs === 0 ? 0 : Number(count),
        ...(aboveMs !== undefined && Number.isFinite(aboveMs) ? { aboveMs } : {}),
      };
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
