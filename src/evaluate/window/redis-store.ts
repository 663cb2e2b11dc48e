// The Redis window store: one atomic Lua call per hit, a whole batch in one pipeline round trip.
import type { Redis } from "ioredis";
import type {
  Firing,
  WindowHit,
  WindowInspector,
  WindowOutcome,
  WindowProbe,
  WindowState,
  WindowStore,
} from "./types.js";
import { WINDOW_HIT_KEYS, WINDOW_HIT_LUA } from "./window-script.js";

const COMMAND = "wabaWindowHit";

/** WindowCommand is the pipeline method ioredis adds for the window script (defineCommand is untyped). */
interface WindowCommand {
  wabaWindowHit(...keysAndArgs: string[]): unknown;
}

type Reply = [string, ...(string | number | null)[]];

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
    redis.defineCommand(COMMAND, { numberOfKeys: WINDOW_HIT_KEYS, lua: WINDOW_HIT_LUA });
  }
  return {
    async apply(hits: readonly WindowHit[], nowMs: number): Promise<WindowOutcome[]> {
      if (hits.length === 0) return [];
      const pipeline = redis.pipeline();
      const command = pipeline as unknown as WindowCommand;
      for (const hit of hits) command.wabaWindowHit(...windowKeys(prefix, hit.key), ...argv(hit, nowMs));
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, reply]) => {
        // Failing the whole batch is safe: a retry is idempotent by event id and refires lost crossings.
        if (error) throw error;
        return toOutcome(reply as Reply);
      });
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

function argv(hit: WindowHit, nowMs: number): string[] {
  return [
    hit.eventId,
    String(Math.trunc(hit.eventTimeMs)),
    String(Math.trunc(nowMs)),
    String(hit.windowMs),
    String(hit.moreThan),
    String(hit.cooldownMs),
    hit.distinctValue === undefined ? "0" : "1",
    hit.distinctValue ?? "",
    hit.sample,
    String(hit.maxSamples),
  ];
}

function toOutcome(reply: Reply): WindowOutcome {
  const [kind, a, b, c, d, e] = reply;
  switch (kind) {
    case "late":
    case "duplicate":
      return { kind };
    case "counted":
      return { kind, count: Number(a) };
    case "cooldown":
      return { kind, count: Number(a), untilMs: Number(b) };
    case "fired":
    case "refired":
      return { kind, firing: toFiring(Number(a), Number(b), Number(c), String(d), String(e ?? "[]")) };
    default:
      throw new Error(`window script returned an unknown outcome: ${String(kind)}`);
  }
}

function toFiring(
  count: number,
  firstSeenMs: number,
  lastSeenMs: number,
  crossing: string,
  json: string,
): Firing {
  const parsed: unknown = JSON.parse(json);
  // cjson encodes an empty table as {}, so anything but an array means "no samples".
  const samples = Array.isArray(parsed) ? parsed.map(String) : [];
  return { count, firstSeenMs, lastSeenMs, crossingEventId: crossing, samples };
}
