// The in-process window store for dry runs and rule tests: the Redis script's semantics, step by step.
import { groupByWindow, splitFuture } from "./batch.js";
import { ExpiringMap } from "./expiring.js";
import {
  type CountInspector,
  type CountProbe,
  countState,
  NO_THRESHOLD_DEDUP_CAP,
  NO_THRESHOLD_DEDUP_MS,
  windowTtlMs,
} from "./limits.js";
import type { Firing, WindowClock, WindowHit, WindowOutcome, WindowState, WindowStore } from "./types.js";

/** Window is what Redis keeps under one rule+group's four keys. */
interface Window {
  /** Event id -> event time (processing time for rules without a threshold). */
  readonly ids: Map<string, number>;
  /** Distinct value -> newest event time. */
  readonly values: Map<string, number>;
  /** Newest arrival first, as LPUSH leaves them. */
  samples: { readonly timeMs: number; readonly text: string }[];
  untilMs: number;
  crossing?: string;
  firing?: Firing;
  /** Last processing time a hit found the count above the threshold (the script's `above`). */
  aboveMs?: number;
  /** Newest event time an entry had when the entry cap pushed it out. */
  evictedMaxMs?: number;
  expiresAtMs: number;
}

/** MemoryWindowStore is a WindowStore that can also report how much it keeps per window (tests, `--explain`). */
export interface MemoryWindowStore extends WindowStore, CountInspector {
  /** sizes returns the entries kept for one window key, as ZCARD/LLEN would on the Redis keys. */
  sizes(key: string, nowMs: number): { ids: number; values: number; samples: number } | undefined;
}

/** createMemoryWindowStore counts hits in memory with exactly the Redis store's semantics (including TTLs on `nowMs`). */
export function createMemoryWindowStore(): MemoryWindowStore {
  const windows = new ExpiringMap<Window>(() => ({
    ids: new Map(),
    values: new Map(),
    samples: [],
    untilMs: 0,
    expiresAtMs: Number.POSITIVE_INFINITY,
  }));
  const live = (key: string, nowMs: number) => windows.live(key, nowMs);
  const windowFor = (key: string, nowMs: number) => windows.get(key, nowMs);

  return {
    async apply(hits: readonly WindowHit[], clock: WindowClock): Promise<WindowOutcome[]> {
      const { outcomes, counted } = splitFuture(hits, clock);
      const now = Math.trunc(clock.nowMs);
      for (const indexes of groupByWindow(hits, counted)) {
        const batch = indexes.map((i) => hits[i] as WindowHit);
        const replies = applyWindow(windowFor((batch[0] as WindowHit).key, now), batch, now);
        indexes.forEach((hitIndex, j) => {
          outcomes[hitIndex] = replies[j] as WindowOutcome;
        });
      }
      return outcomes;
    },
    async inspect(probe: CountProbe, nowMs: number): Promise<WindowState> {
      const w = live(probe.key, nowMs);
      if (!w) return countState(probe, 0, undefined);
      const cutoff = Math.trunc(nowMs) - probe.windowMs;
      const counted = probe.distinct ? w.values : w.ids;
      return countState(probe, [...counted.values()].filter((t) => t > cutoff).length, w.aboveMs);
    },
    sizes(key: string, nowMs: number) {
      const w = live(key, nowMs);
      return w && { ids: w.ids.size, values: w.values.size, samples: w.samples.length };
    },
  };
}

/** applyWindow runs one window's hits in order, as one call of the Lua script does. */
function applyWindow(w: Window, hits: readonly WindowHit[], now: number): WindowOutcome[] {
  const first = hits[0] as WindowHit;
  const cutoff = now - first.windowMs;
  let trimmed = false;
  let written = false;
  const outcomes = hits.map((hit): WindowOutcome => {
    const t = Math.trunc(hit.eventTimeMs);
    if (w.crossing === hit.eventId && w.firing) return { kind: "refired", firing: w.firing };
    if (hit.windowMs === 0) {
      if (!trimmed) removeUpTo(w.ids, now - NO_THRESHOLD_DEDUP_MS);
      trimmed = true;
      if (w.ids.has(hit.eventId)) return { kind: "duplicate" };
      w.ids.set(hit.eventId, now);
      if (w.ids.size > NO_THRESHOLD_DEDUP_CAP) popOldest(w.ids);
      written = true;
      if (now < w.untilMs) {
        w.aboveMs = now;
        return { kind: "cooldown", count: 1, untilMs: w.untilMs };
      }
      const samples = hit.maxSamples > 0 ? [hit.sample] : [];
      return fire(w, hit, now, {
        count: 1,
        eventCount: 1,
        firstSeenMs: t,
        lastSeenMs: t,
        crossingEventId: hit.eventId,
        samples,
        capped: false,
      });
    }
    if (t <= cutoff) return { kind: "late" };
    if (!trimmed) {
      removeUpTo(w.ids, cutoff);
      if (hit.distinctValue !== undefined) removeUpTo(w.values, cutoff);
      trimmed = true;
    }
    if (w.ids.has(hit.eventId)) return { kind: "duplicate" };
    written = true;
    return count(w, hit, t, now, cutoff);
  });
  if (written) w.expiresAtMs = now + windowTtlMs(first.windowMs, first.cooldownMs, first.resolveAfterMs);
  return outcomes;
}

/** count adds one new event inside the window and decides counted, cooldown or fired. */
function count(w: Window, hit: WindowHit, t: number, now: number, cutoff: number): WindowOutcome {
  let evicted = 0;
  w.ids.set(hit.eventId, t);
  if (w.ids.size > hit.maxEntries) evicted += evict(w, w.ids);
  const distinct = hit.distinctValue !== undefined;
  if (hit.distinctValue !== undefined) {
    const seen = w.values.get(hit.distinctValue);
    if (seen === undefined || seen < t) w.values.set(hit.distinctValue, t);
    if (w.values.size > hit.maxEntries) evicted += evict(w, w.values);
  }
  if (hit.maxSamples > 0) {
    w.samples.unshift({ timeMs: t, text: hit.sample });
    w.samples.length = Math.min(w.samples.length, hit.maxSamples);
  }
  const n = distinct ? w.values.size : w.ids.size;
  const extra = evicted > 0 ? { evicted } : {};
  if (n <= hit.moreThan) return { kind: "counted", count: n, ...extra };
  if (now < w.untilMs) {
    w.aboveMs = now;
    return { kind: "cooldown", count: n, untilMs: w.untilMs, ...extra };
  }
  let firstSeenMs = Number.POSITIVE_INFINITY;
  let lastSeenMs = Number.NEGATIVE_INFINITY;
  for (const time of w.ids.values()) {
    if (time < firstSeenMs) firstSeenMs = time;
    if (time > lastSeenMs) lastSeenMs = time;
  }
  const samples = w.samples
    .filter((s) => s.timeMs > cutoff && s.timeMs >= firstSeenMs && s.timeMs <= lastSeenMs)
    .reverse()
    .map((s) => s.text);
  const capped = w.evictedMaxMs !== undefined && w.evictedMaxMs > cutoff;
  const firing = {
    count: n,
    eventCount: w.ids.size,
    firstSeenMs,
    lastSeenMs,
    crossingEventId: hit.eventId,
    samples,
    capped,
  };
  return { ...fire(w, hit, now, firing), ...extra };
}

function fire(w: Window, hit: WindowHit, now: number, firing: Firing): WindowOutcome {
  w.untilMs = now + hit.cooldownMs;
  w.crossing = hit.eventId;
  w.firing = firing;
  w.aboveMs = now;
  return { kind: "fired", firing };
}

/** evict is the script's popOldest: ZPOPMIN, remembering the newest time that gave way. */
function evict(w: Window, set: Map<string, number>): number {
  const t = popOldest(set);
  if (w.evictedMaxMs === undefined || t > w.evictedMaxMs) w.evictedMaxMs = t;
  return 1;
}

/** removeUpTo is ZREMRANGEBYSCORE -inf..max. */
function removeUpTo(set: Map<string, number>, max: number): void {
  for (const [member, score] of set) if (score <= max) set.delete(member);
}

/** popOldest is ZPOPMIN: it removes the lowest (score, member) entry and returns its score. */
function popOldest(set: Map<string, number>): number {
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
  if (best === undefined) throw new Error("pop from an empty window");
  set.delete(best[0]);
  return best[1];
}
