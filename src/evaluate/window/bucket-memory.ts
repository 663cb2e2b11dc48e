// The in-process bucketed-counter store (ratio and spike rules): the Lua script's semantics, step by step.
import { groupByWindow, splitFuture } from "./batch.js";
import { ExpiringMap } from "./expiring.js";
import {
  baselineEnd,
  baselineSpanMs,
  bucketOf,
  bucketTtlMs,
  type BucketSnapshot,
  type FineBucket,
  firingExtras,
  idDigest,
  isOver,
  lineExtras,
  lowestBucket,
  seenTtlMs,
  viewAt,
} from "./buckets.js";
import type { BucketHit, BucketLine, Firing, WindowClock, WindowOutcome, WindowState } from "./types.js";

/** BucketWindow is what Redis keeps under one rule+group's state hash, buckets hash and samples list. */
interface BucketWindow {
  readonly fine: Map<number, FineBucket>;
  readonly coarse: Map<number, number>;
  /** Oldest bucket the running sums cover, and the newest bucket written. */
  lo?: number;
  top?: number;
  n: number;
  d: number;
  /** End (exclusive) of the baseline buckets in `b`, its sum, the first and newest baseline bucket counted. */
  bhi?: number;
  b: number;
  h?: number;
  ctop?: number;
  /** Newest arrival first, as LPUSH leaves them. */
  samples: { readonly timeMs: number; readonly text: string }[];
  untilMs: number;
  crossing?: string;
  firing?: Firing;
  aboveMs?: number;
  /** When the keys expire (the script's `exp`); renewed only once a quarter of the lifetime has passed. */
  exp?: number;
  expiresAtMs: number;
}

/** Seen is one bucket's set of event id digests, with its own lifetime (a key of its own in Redis). */
interface Seen {
  readonly ids: Set<string>;
  expiresAtMs: number;
}

/** MemoryBucketStore counts ratio and spike hits like the Redis store; `view` reads a window like `inspect`. */
export interface MemoryBucketStore {
  applyBuckets(hits: readonly BucketHit[], clock: WindowClock): Promise<WindowOutcome[]>;
  view(key: string, line: BucketLine, windowMs: number, resolutionMs: number, nowMs: number): WindowState;
}

/** createMemoryBucketStore keeps bucketed windows in memory with exactly the Redis store's semantics (TTLs on `nowMs`). */
export function createMemoryBucketStore(): MemoryBucketStore {
  const windows = new ExpiringMap<BucketWindow>(() => ({
    fine: new Map(),
    coarse: new Map(),
    n: 0,
    d: 0,
    b: 0,
    samples: [],
    untilMs: 0,
    expiresAtMs: Number.POSITIVE_INFINITY,
  }));
  // Each bucket's id set is a key of its own in Redis, with its own lifetime.
  const seen = new ExpiringMap<Seen>(() => ({ ids: new Set(), expiresAtMs: Number.POSITIVE_INFINITY }));
  const live = (key: string, nowMs: number) => windows.live(key, nowMs);
  const windowFor = (key: string, nowMs: number) => windows.get(key, nowMs);
  const seenFor = (key: string, bucket: number, nowMs: number) => seen.get(`${key}\0${bucket}`, nowMs);

  return {
    async applyBuckets(hits, clock) {
      const { outcomes, counted } = splitFuture(hits, clock);
      const now = Math.trunc(clock.nowMs);
      for (const indexes of groupByWindow(hits, counted)) {
        const batch = indexes.map((i) => hits[i] as BucketHit);
        const key = (batch[0] as BucketHit).key;
        const replies = applyWindow(windowFor(key, now), batch, now, (b) => seenFor(key, b, now));
        indexes.forEach((hitIndex, j) => {
          outcomes[hitIndex] = replies[j] as WindowOutcome;
        });
      }
      return outcomes;
    },
    view(key, line, windowMs, resolutionMs, nowMs) {
      const w = live(key, nowMs);
      const snap: BucketSnapshot = w
        ? { fine: w.fine, coarse: w.coarse, ...optional(w) }
        : { fine: new Map(), coarse: new Map() };
      return viewAt(snap, line, windowMs, resolutionMs, nowMs);
    },
  };
}

function optional(w: BucketWindow): Pick<BucketSnapshot, "lo" | "h" | "aboveMs"> {
  return {
    ...(w.lo !== undefined ? { lo: w.lo } : {}),
    ...(w.h !== undefined ? { h: w.h } : {}),
    ...(w.aboveMs !== undefined ? { aboveMs: w.aboveMs } : {}),
  };
}

/** slide moves the window's oldest bucket up to `lo`, taking the buckets that leave out of the sums. */
function slide(w: BucketWindow, lo: number): void {
  if (w.lo !== undefined && lo > w.lo && w.top !== undefined) {
    for (let i = w.lo; i <= Math.min(lo - 1, w.top); i++) {
      const b = w.fine.get(i);
      if (!b) continue;
      w.n -= b.n;
      w.d -= b.d;
      w.fine.delete(i);
    }
  }
  if (w.lo === undefined || lo > w.lo) w.lo = lo;
}

/** slideBaseline moves a spike's baseline end up to `end`: buckets enter the sum, the oldest leave it. */
function slideBaseline(w: BucketWindow, line: BucketLine, end: number): void {
  if (line.kind !== "spike") return;
  const old = w.bhi;
  if (old === undefined) {
    w.bhi = end;
    return;
  }
  if (end <= old) return;
  const k = Math.ceil(line.baselineMs / line.baselineResolutionMs);
  const top = w.ctop ?? old - 1;
  for (let j = Math.max(old, end - k); j <= Math.min(end - 1, top); j++) w.b += w.coarse.get(j) ?? 0;
  for (let j = old - k; j <= Math.min(old, end - k) - 1; j++) {
    w.b -= w.coarse.get(j) ?? 0;
    w.coarse.delete(j);
  }
  for (let j = old; j <= Math.min(end - k - 1, top); j++) w.coarse.delete(j);
  w.bhi = end;
}

/** applyWindow runs one window's hits in order, as one call of the Lua script does. */
function applyWindow(
  w: BucketWindow,
  hits: readonly BucketHit[],
  now: number,
  seenOf: (bucket: number) => Seen,
): WindowOutcome[] {
  const first = hits[0] as BucketHit;
  const { line, windowMs, resolutionMs: r } = first;
  const lo = Math.max(w.lo ?? Number.NEGATIVE_INFINITY, lowestBucket(now, windowMs, r));
  slide(w, lo);
  const end = line.kind === "spike" ? baselineEnd(lo, r, line.baselineResolutionMs) : 0;
  slideBaseline(w, line, end);
  // Counted events always land after the baseline's end, so the baseline stays fixed for the batch.
  const spanMs = baselineSpanMs(line, windowMs, end, w.h);
  let ttl = bucketTtlMs(windowMs, line, first.cooldownMs, first.resolveAfterMs);
  let written = false;
  let fired = false;
  const outcomes = hits.map((hit): WindowOutcome => {
    if (w.crossing === hit.eventId && w.firing) return { kind: "refired", firing: w.firing };
    const t = Math.trunc(hit.eventTimeMs);
    const i = bucketOf(t, r);
    if (i < lo) return { kind: "late" };
    const ids = seenOf(i);
    const digest = idDigest(hit.eventId);
    if (ids.ids.has(digest)) return { kind: "duplicate" };
    ids.ids.add(digest);
    const seenTtl = seenTtlMs(i, windowMs, r, now);
    ids.expiresAtMs = now + seenTtl;
    ttl = Math.max(ttl, seenTtl);
    written = true;
    count(w, hit, t, i);
    const extras = lineExtras(line, windowMs, w.d, w.b, spanMs);
    if (!isOver(line, windowMs, w.n, w.d, w.b, spanMs)) return { kind: "counted", count: w.n, ...extras };
    if (now < w.untilMs) {
      w.aboveMs = now;
      return { kind: "cooldown", count: w.n, untilMs: w.untilMs, ...extras };
    }
    fired = true;
    return fire(w, hit, now, lo, firingExtras(extras));
  });
  if (written && (fired || w.exp === undefined || w.exp - now < ttl)) {
    w.exp = now + ttl + Math.floor(ttl / 4);
    w.expiresAtMs = w.exp;
  }
  return outcomes;
}

/** count adds one new event to its bucket (and a spike's baseline bucket), the sums and the samples. */
function count(w: BucketWindow, hit: BucketHit, t: number, i: number): void {
  const b = w.fine.get(i) ?? { n: 0, d: 0, firstMs: t, lastMs: t };
  if (hit.counts) {
    if (b.n === 0 || t < b.firstMs) b.firstMs = t;
    if (b.n === 0 || t > b.lastMs) b.lastMs = t;
    b.n++;
    w.n++;
  }
  if (hit.ofCounts) {
    b.d++;
    w.d++;
  }
  w.fine.set(i, b);
  w.top = Math.max(w.top ?? i, i);
  if (hit.line.kind === "spike") {
    const j = bucketOf(t, hit.line.baselineResolutionMs);
    w.coarse.set(j, (w.coarse.get(j) ?? 0) + 1);
    w.ctop = Math.max(w.ctop ?? j, j);
    w.h = Math.min(w.h ?? j, j);
  }
  if (hit.counts && hit.maxSamples > 0) {
    w.samples.unshift({ timeMs: t, text: hit.sample });
    w.samples.length = Math.min(w.samples.length, hit.maxSamples);
  }
}

/** fire records a crossing: the counted events' time span and samples, then the cooldown. */
function fire(
  w: BucketWindow,
  hit: BucketHit,
  now: number,
  lo: number,
  extras: Pick<Firing, "ofCount" | "baselineCount">,
): WindowOutcome {
  let firstSeenMs = Number.POSITIVE_INFINITY;
  let lastSeenMs = Number.NEGATIVE_INFINITY;
  for (const [i, b] of w.fine) {
    if (i < lo || b.n === 0) continue;
    firstSeenMs = Math.min(firstSeenMs, b.firstMs);
    lastSeenMs = Math.max(lastSeenMs, b.lastMs);
  }
  const r = hit.resolutionMs;
  const samples = w.samples
    .filter((s) => bucketOf(s.timeMs, r) >= lo)
    .reverse()
    .map((s) => s.text);
  const firing: Firing = {
    count: w.n,
    eventCount: w.n,
    firstSeenMs,
    lastSeenMs,
    crossingEventId: hit.eventId,
    samples,
    capped: false,
    ...extras,
  };
  w.untilMs = now + hit.cooldownMs;
  w.crossing = hit.eventId;
  w.firing = firing;
  w.aboveMs = now;
  return { kind: "fired", firing };
}
