// The in-process window store for the dry-run `test` command: the Redis script's semantics, step by step.
import { NO_THRESHOLD_DEDUP_CAP, NO_THRESHOLD_DEDUP_MS, windowTtlMs } from "./limits.js";
import type {
  Firing,
  WindowHit,
  WindowInspector,
  WindowOutcome,
  WindowProbe,
  WindowState,
  WindowStore,
} from "./types.js";

/** Window is what Redis keeps under one rule+group's four keys. */
interface Window {
  /** Event id -> event time (processing time for rules without a threshold). */
  readonly ids: Map<string, number>;
  /** Distinct value -> latest event time. */
  readonly values: Map<string, number>;
  /** Newest first, as LPUSH leaves them. */
  samples: { readonly timeMs: number; readonly text: string }[];
  untilMs: number;
  firing?: Firing;
  /** Last processing time a hit found the count above the threshold (the script's `above`). */
  aboveMs?: number;
  expiresAtMs: number;
}

/** MemoryWindowStore is a WindowStore that can also report how much it keeps per window (tests, `--explain`). */
export interface MemoryWindowStore extends WindowStore, WindowInspector {
  /** sizes returns the entries kept for one window key, as ZCARD/LLEN would on the Redis keys. */
  sizes(key: string): { ids: number; values: number; samples: number } | undefined;
}

/** createMemoryWindowStore counts hits in memory with exactly the Redis store's semantics (including TTLs on `nowMs`). */
export function createMemoryWindowStore(): MemoryWindowStore {
  const windows = new Map<string, Window>();

  function windowFor(key: string, nowMs: number): Window {
    const existing = windows.get(key);
    if (existing && nowMs < existing.expiresAtMs) return existing;
    const fresh: Window = {
      ids: new Map(),
      values: new Map(),
      samples: [],
      untilMs: 0,
      expiresAtMs: Infinity,
    };
    windows.set(key, fresh);
    return fresh;
  }

  return {
    async apply(hits: readonly WindowHit[], nowMs: number): Promise<WindowOutcome[]> {
      return hits.map((hit) => applyOne(windowFor(hit.key, nowMs), hit, Math.trunc(nowMs)));
    },
    async inspect(probe: WindowProbe, nowMs: number): Promise<WindowState> {
      const w = windows.get(probe.key);
      if (!w || nowMs >= w.expiresAtMs) return { count: 0 };
      const cutoff = Math.trunc(nowMs) - probe.windowMs;
      const counted = probe.distinct ? w.values : w.ids;
      const count = probe.windowMs === 0 ? 0 : [...counted.values()].filter((t) => t > cutoff).length;
      return { count, ...(w.aboveMs !== undefined ? { aboveMs: w.aboveMs } : {}) };
    },
    sizes(key: string) {
      const w = windows.get(key);
      return w && { ids: w.ids.size, values: w.values.size, samples: w.samples.length };
    },
  };
}

function applyOne(w: Window, hit: WindowHit, now: number): WindowOutcome {
  if (w.firing && w.firing.crossingEventId === hit.eventId) return { kind: "refired", firing: w.firing };
  const t = Math.trunc(hit.eventTimeMs);
  const touch = (): void => {
    w.expiresAtMs = now + windowTtlMs(hit.windowMs, hit.cooldownMs, t, now);
  };

  if (hit.windowMs === 0) {
    removeUpTo(w.ids, now - NO_THRESHOLD_DEDUP_MS);
    if (w.ids.has(hit.eventId)) return { kind: "duplicate" };
    w.ids.set(hit.eventId, now);
    capNewest(w.ids, NO_THRESHOLD_DEDUP_CAP);
    touch();
    if (now < w.untilMs) {
      w.aboveMs = now;
      return { kind: "cooldown", count: 1, untilMs: w.untilMs };
    }
    const samples = hit.maxSamples > 0 ? [hit.sample] : [];
    return fire(w, hit, now, {
      count: 1,
      firstSeenMs: t,
      lastSeenMs: t,
      crossingEventId: hit.eventId,
      samples,
    });
  }

  const cutoff = now - hit.windowMs;
  if (t <= cutoff) return { kind: "late" };
  if (w.ids.has(hit.eventId)) return { kind: "duplicate" };
  const distinct = hit.distinctValue !== undefined;
  removeUpTo(w.ids, cutoff);
  if (distinct) removeUpTo(w.values, cutoff);
  const counted = distinct ? w.values : w.ids;

  const cap = hit.moreThan + 1;
  if (w.ids.size >= cap && t <= lowest(w.ids)[1]) return { kind: "counted", count: counted.size };

  w.ids.set(hit.eventId, t);
  capNewest(w.ids, cap);
  if (hit.distinctValue !== undefined) {
    const seen = w.values.get(hit.distinctValue);
    if (seen === undefined || seen < t) w.values.set(hit.distinctValue, t);
    capNewest(w.values, cap);
  }
  if (hit.maxSamples > 0) {
    w.samples.unshift({ timeMs: t, text: hit.sample });
    w.samples.length = Math.min(w.samples.length, hit.maxSamples);
  }
  touch();

  const count = counted.size;
  if (count <= hit.moreThan) return { kind: "counted", count };
  if (now < w.untilMs) {
    w.aboveMs = now;
    return { kind: "cooldown", count, untilMs: w.untilMs };
  }
  const scores = [...w.ids.values()];
  const samples = w.samples
    .filter((s) => s.timeMs > cutoff)
    .reverse()
    .map((s) => s.text);
  return fire(w, hit, now, {
    count,
    firstSeenMs: Math.min(...scores),
    lastSeenMs: Math.max(...scores),
    crossingEventId: hit.eventId,
    samples,
  });
}

function fire(w: Window, hit: WindowHit, now: number, firing: Firing): WindowOutcome {
  w.untilMs = now + hit.cooldownMs;
  w.firing = firing;
  w.aboveMs = now;
  return { kind: "fired", firing };
}

/** removeUpTo is ZREMRANGEBYSCORE -inf..max. */
function removeUpTo(set: Map<string, number>, max: number): void {
  for (const [member, score] of set) if (score <= max) set.delete(member);
}

/** capNewest is ZREMRANGEBYRANK 0 -(cap+1): it drops the lowest (score, member) entries beyond `cap`. */
function capNewest(set: Map<string, number>, cap: number): void {
  while (set.size > cap) set.delete(lowest(set)[0]);
}

/** lowest is ZRANGE 0 0: the smallest score, ties broken by member bytes as Redis does. */
function lowest(set: Map<string, number>): [string, number] {
  let best: [string, number] | undefined;
  for (const entry of set) {
    if (
      best === undefined ||
      entry[1] < best[1] ||
      (entry[1] === best[1] && Buffer.compare(Buffer.from(entry[0]), Buffer.from(best[0])) < 0)
    ) {
      best = entry;
    }
  }
  if (best === undefined) throw new Error("lowest of an empty window");
  return best;
}
