// A deliberately naive bucketed window (ratio, spike): keeps every accepted event and recomputes everything
// from scratch per hit. It states what the Lua script and the memory store must both do, without their
// running sums, sliding and per-bucket bookkeeping.
import type {
  BucketHit,
  BucketLine,
  Firing,
  WindowClock,
  WindowOutcome,
  WindowState,
} from "../../src/evaluate/window/types.js";

const MARGIN_MS = 60_000;

interface Accepted {
  readonly id: string;
  readonly timeMs: number;
  readonly bucket: number;
  readonly counts: boolean;
  readonly ofCounts: boolean;
  readonly sample: string;
}

interface RefWindow {
  accepted: Accepted[];
  /** When the window expires; renewed on a write once a quarter of its lifetime has passed, or on a firing. */
  exp?: number;
  crossing?: string;
  firing?: Firing;
  untilMs: number;
  aboveMs?: number;
  expiresAtMs: number;
}

/** Reading is what a window holds at one clock: counts, the baseline, and whether it is over its line. */
interface Reading {
  readonly count: number;
  readonly ofCount: number;
  readonly baselineCount?: number;
  readonly over: boolean;
  readonly inside: readonly Accepted[];
}

/** read computes a window at `nowMs` from its accepted events alone (SPEC: ratio and spike lines). */
function read(
  accepted: readonly Accepted[],
  line: BucketLine,
  windowMs: number,
  r: number,
  nowMs: number,
): Reading {
  const lo = Math.floor(nowMs / r) - Math.ceil(windowMs / r) + 1;
  const inside = accepted.filter((a) => a.bucket >= lo);
  const count = inside.filter((a) => a.counts).length;
  const ofCount = inside.filter((a) => a.ofCounts).length;
  if (line.kind === "ratio") {
    return { count, ofCount, over: ofCount >= line.minOf && count / ofCount > line.moreThan, inside };
  }
  // The baseline: the coarse buckets entirely before the window's oldest bucket, back to the baseline's
  // length or the group's first counted event, whichever is later.
  const size = line.baselineResolutionMs;
  const end = Math.floor((lo * r) / size);
  const buckets = Math.ceil(line.baselineMs / size);
  const coarse = accepted.filter((a) => a.counts).map((a) => Math.floor(a.timeMs / size));
  if (coarse.length === 0) return { count, ofCount, over: false, inside };
  const from = Math.max(end - buckets, Math.min(...coarse));
  const spanMs = (end - from) * size;
  if (spanMs < windowMs) return { count, ofCount, over: false, inside };
  const sum = coarse.filter((j) => j >= from && j < end).length;
  const usual = (sum * windowMs) / spanMs;
  return {
    count,
    ofCount,
    baselineCount: usual,
    over: count >= line.min && count > line.moreThan * usual,
    inside,
  };
}

function extras(
  line: BucketLine,
  reading: Reading,
): { ofCount: number } | { baselineCount: number } | { learning: true } {
  if (line.kind === "ratio") return { ofCount: reading.ofCount };
  return reading.baselineCount === undefined ? { learning: true } : { baselineCount: reading.baselineCount };
}

/** ReferenceBuckets is the naive model: apply and read, with the stores' signatures. */
export class ReferenceBuckets {
  private readonly windows = new Map<string, RefWindow>();
  /** Event ids per window and bucket, which outlive an expired window as the Redis id sets do. */
  private readonly seen = new Map<string, Map<number, { ids: Set<string>; expiresAtMs: number }>>();

  private window(key: string, nowMs: number): RefWindow {
    const w = this.windows.get(key);
    if (w && nowMs < w.expiresAtMs) return w;
    const fresh: RefWindow = { accepted: [], untilMs: 0, expiresAtMs: Number.POSITIVE_INFINITY };
    this.windows.set(key, fresh);
    return fresh;
  }

  private seenIds(key: string, bucket: number, nowMs: number): { ids: Set<string>; expiresAtMs: number } {
    const byBucket = this.seen.get(key) ?? new Map();
    this.seen.set(key, byBucket);
    const s = byBucket.get(bucket);
    if (s && nowMs < s.expiresAtMs) return s;
    const fresh = { ids: new Set<string>(), expiresAtMs: Number.POSITIVE_INFINITY };
    byBucket.set(bucket, fresh);
    return fresh;
  }

  apply(hits: readonly BucketHit[], clock: WindowClock): WindowOutcome[] {
    const now = clock.nowMs;
    const ttls = new Map<string, number>();
    const fired = new Set<string>();
    const outcomes = hits.map((hit): WindowOutcome => {
      if (hit.eventTimeMs > clock.futureLimitMs) return { kind: "future" };
      const w = this.window(hit.key, now);
      if (w.crossing === hit.eventId && w.firing) return { kind: "refired", firing: w.firing };
      const r = hit.resolutionMs;
      const windowBuckets = Math.ceil(hit.windowMs / r);
      const lo = Math.floor(now / r) - windowBuckets + 1;
      const bucket = Math.floor(hit.eventTimeMs / r);
      if (bucket < lo) return { kind: "late" };
      const seen = this.seenIds(hit.key, bucket, now);
      if (seen.ids.has(hit.eventId)) return { kind: "duplicate" };
      seen.ids.add(hit.eventId);
      // A bucket ahead of the clock keeps its ids as long as the current bucket: event times never prolong state.
      const seenTtl = Math.max(1, (Math.min(bucket, lo + windowBuckets - 1) + windowBuckets) * r - now + MARGIN_MS);
      seen.expiresAtMs = now + seenTtl;
      const base =
        hit.windowMs +
        (hit.line.kind === "spike" ? hit.line.baselineMs : 0) +
        hit.cooldownMs +
        hit.resolveAfterMs;
      ttls.set(hit.key, Math.max(ttls.get(hit.key) ?? base, base, seenTtl));
      const { counts, ofCounts, sample } = hit;
      w.accepted.push({ id: hit.eventId, timeMs: hit.eventTimeMs, bucket, counts, ofCounts, sample });
      const reading = read(w.accepted, hit.line, hit.windowMs, r, now);
      if (!reading.over) return { kind: "counted", count: reading.count, ...extras(hit.line, reading) };
      if (now < w.untilMs) {
        w.aboveMs = now;
        return { kind: "cooldown", count: reading.count, untilMs: w.untilMs, ...extras(hit.line, reading) };
      }
      const times = reading.inside.filter((a) => a.counts).map((a) => a.timeMs);
      const recent = hit.maxSamples > 0 ? w.accepted.filter((a) => a.counts).slice(-hit.maxSamples) : [];
      const firing: Firing = {
        count: reading.count,
        eventCount: reading.count,
        firstSeenMs: Math.min(...times),
        lastSeenMs: Math.max(...times),
        crossingEventId: hit.eventId,
        samples: recent.filter((a) => a.bucket >= lo).map((a) => a.sample),
        capped: false,
        ...(hit.line.kind === "ratio"
          ? { ofCount: reading.ofCount }
          : { baselineCount: reading.baselineCount }),
      };
      fired.add(hit.key);
      w.untilMs = now + hit.cooldownMs;
      w.crossing = hit.eventId;
      w.firing = firing;
      w.aboveMs = now;
      return { kind: "fired", firing };
    });
    for (const [key, ttl] of ttls) {
      const w = this.windows.get(key) as RefWindow;
      if (fired.has(key) || w.exp === undefined || w.exp - now < ttl) {
        w.exp = now + ttl + Math.floor(ttl / 4);
        w.expiresAtMs = w.exp;
      }
    }
    return outcomes;
  }

  /** view reads a window at `nowMs` without changing it, as the resolver sees it. */
  view(key: string, line: BucketLine, windowMs: number, r: number, nowMs: number): WindowState {
    const w = this.windows.get(key);
    const accepted = w && nowMs < w.expiresAtMs ? w.accepted : [];
    const reading = read(accepted, line, windowMs, r, nowMs);
    return {
      count: reading.count,
      over: reading.over,
      ...extras(line, reading),
      ...(w && nowMs < w.expiresAtMs && w.aboveMs !== undefined ? { aboveMs: w.aboveMs } : {}),
    };
  }
}
