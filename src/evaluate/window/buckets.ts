// Bucket arithmetic shared by both bucketed-counter stores and the resolver's view: one definition of the line.
import { createHash } from "node:crypto";
import type { BucketLine, Firing, WindowState } from "./types.js";

/** SEEN_MARGIN_MS keeps a bucket's event ids a little past the moment it leaves the window (clock skew between workers). */
export const SEEN_MARGIN_MS = 60_000;

/** bucketOf is the bucket index of a time: buckets are [i × size, (i + 1) × size). */
export function bucketOf(timeMs: number, sizeMs: number): number {
  return Math.floor(timeMs / sizeMs);
}

/** windowBuckets is how many buckets make a window: the newest bucket (the one holding the clock) and those before it. */
export function windowBuckets(windowMs: number, resolutionMs: number): number {
  return Math.ceil(windowMs / resolutionMs);
}

/** lowestBucket is the oldest bucket inside the window at `nowMs`; an event in an older bucket is late. */
export function lowestBucket(nowMs: number, windowMs: number, resolutionMs: number): number {
  return bucketOf(nowMs, resolutionMs) - windowBuckets(windowMs, resolutionMs) + 1;
}

/** baselineEnd is the first baseline bucket not entirely before the window's oldest bucket `lo`. */
export function baselineEnd(lo: number, resolutionMs: number, baselineResolutionMs: number): number {
  return Math.floor((lo * resolutionMs) / baselineResolutionMs);
}

/**
 * seenTtlMs is how long a bucket's event ids are kept: until the bucket leaves the window, plus a margin.
 * A bucket ahead of the clock (an event stamped up to rules.max_future_skew ahead) counts as the current
 * one here, so no event time makes state outlive window + margin; a redelivery of such an event arriving
 * after that could count again, a small price next to state an event time could prolong. Both stores call
 * it with the same arguments, so their ids expire at the same moment.
 */
export function seenTtlMs(bucket: number, windowMs: number, resolutionMs: number, nowMs: number): number {
  const current = Math.floor(nowMs / resolutionMs);
  const leavesMs = (Math.min(bucket, current) + windowBuckets(windowMs, resolutionMs)) * resolutionMs;
  return Math.max(1, leavesMs - nowMs + SEEN_MARGIN_MS);
}

/** bucketTtlMs is the lifetime each write gives a bucketed window's counters: window (+ baseline) + cooldown + resolve_after. */
export function bucketTtlMs(
  windowMs: number,
  line: BucketLine,
  cooldownMs: number,
  resolveAfterMs: number,
): number {
  return windowMs + (line.kind === "spike" ? line.baselineMs : 0) + cooldownMs + resolveAfterMs;
}

/**
 * baselineSpanMs is how much history a spike's baseline averages over: the baseline buckets from the
 * group's first counted bucket `h` up to `end`, at most the whole baseline; 0 while that is shorter than
 * one window (the group is still learning its usual level).
 */
export function baselineSpanMs(
  line: BucketLine,
  windowMs: number,
  end: number,
  h: number | undefined,
): number {
  if (line.kind !== "spike" || h === undefined) return 0;
  const size = line.baselineResolutionMs;
  const buckets = Math.ceil(line.baselineMs / size);
  const span = (end - Math.max(end - buckets, h)) * size;
  return span >= windowMs ? span : 0;
}

/**
 * isOver is the line both stores (and the Lua script, in the same order of operations) fire on:
 * ratio — at least minOf events of `of` and count / ofCount above the share; spike — past learning,
 * at least `min`, and above moreThan × the usual count per window.
 */
export function isOver(
  line: BucketLine,
  windowMs: number,
  count: number,
  ofCount: number,
  baselineSum: number,
  spanMs: number,
): boolean {
  if (line.kind === "ratio") return ofCount >= line.minOf && count / ofCount > line.moreThan;
  if (spanMs === 0 || count < line.min) return false;
  return count > line.moreThan * ((baselineSum * windowMs) / spanMs);
}

/** LineExtras are what an outcome says besides the count: the denominator, or the usual count (or learning). */
export type LineExtras =
  | { ofCount: number }
  | { baselineCount: number }
  | { learning: true }
  | Record<string, never>;

/** lineExtras turns raw counter values into what an outcome reports for its kind of line. */
export function lineExtras(
  line: BucketLine,
  windowMs: number,
  ofCount: number,
  baselineSum: number,
  spanMs: number,
): LineExtras {
  if (line.kind === "ratio") return { ofCount };
  if (spanMs === 0) return { learning: true };
  return { baselineCount: (baselineSum * windowMs) / spanMs };
}

/** FineBucket is one window bucket: events counted, events of `of`, and the counted events' oldest and newest time. */
export interface FineBucket {
  n: number;
  d: number;
  firstMs: number;
  lastMs: number;
}

/** BucketSnapshot is a bucketed window's stored state, as either store keeps it. */
export interface BucketSnapshot {
  readonly fine: ReadonlyMap<number, FineBucket>;
  readonly coarse: ReadonlyMap<number, number>;
  /** Oldest bucket the stored sums cover (never moves back). */
  readonly lo?: number;
  /** First baseline bucket the group ever counted in. */
  readonly h?: number;
  readonly aboveMs?: number;
}

/**
 * viewAt reads a snapshot at `nowMs` without changing it: the count, ofCount and usual count as the next
 * batch would see them, and whether the window is over its line (what the resolver asks).
 */
export function viewAt(
  snap: BucketSnapshot,
  line: BucketLine,
  windowMs: number,
  resolutionMs: number,
  nowMs: number,
): WindowState {
  const lo = Math.max(snap.lo ?? Number.NEGATIVE_INFINITY, lowestBucket(nowMs, windowMs, resolutionMs));
  let count = 0;
  let ofCount = 0;
  for (const [i, b] of snap.fine) {
    if (i < lo) continue;
    count += b.n;
    ofCount += b.d;
  }
  let sum = 0;
  let spanMs = 0;
  if (line.kind === "spike") {
    const end = baselineEnd(lo, resolutionMs, line.baselineResolutionMs);
    const start = end - Math.ceil(line.baselineMs / line.baselineResolutionMs);
    for (const [j, n] of snap.coarse) if (j >= start && j < end) sum += n;
    spanMs = baselineSpanMs(line, windowMs, end, snap.h);
  }
  return {
    count,
    over: isOver(line, windowMs, count, ofCount, sum, spanMs),
    ...lineExtras(line, windowMs, ofCount, sum, spanMs),
    ...(snap.aboveMs !== undefined ? { aboveMs: snap.aboveMs } : {}),
  };
}

/** firingExtras is what a ratio or spike firing adds to the Firing: its denominator or its usual count. */
export function firingExtras(extras: LineExtras): Pick<Firing, "ofCount" | "baselineCount"> {
  if ("ofCount" in extras) return { ofCount: extras.ofCount };
  if ("baselineCount" in extras) return { baselineCount: extras.baselineCount };
  return {};
}

/**
 * idDigest is what a bucket remembers an event id by: 8 bytes in 11 base64 characters (a Redis set member
 * of the smallest allocation) — the first half of one of ingest's 32-hex-digit ids (already a SHA-256),
 * else the first 8 bytes of the id's SHA-256. 64 bits keep a clash between two events of one bucket below
 * one in a billion even at 300,000 events a bucket, at a third of the memory of the whole id.
 */
export function idDigest(eventId: string): string {
  const bytes = /^[0-9a-f]{32}$/.test(eventId)
    ? Buffer.from(eventId.slice(0, 16), "hex")
    : createHash("sha256").update(eventId).digest().subarray(0, 8);
  return bytes.toString("base64").slice(0, 11);
}
