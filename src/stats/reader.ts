// Reads the activity counters back as series of points: `GET /api/stats`.
import type { RedisClient } from "../queue/redis-client.js";
import { bucketKey, bucketStart, HOUR, MINUTE, OTHER, type Resolution } from "./layout.js";

/** StatsQuery is a validated request: a time range, a step (whole minutes) and one counter family. */
export interface StatsQuery {
  fromMs: number;
  toMs: number;
  stepSec: number;
  /** dimension(by, count), e.g. `code:errors`. */
  dim: string;
  /** Keep only the N series with the largest totals; the rest are summed into OTHER. */
  top?: number;
}

/** StatsSeries is one value's counts, one point per step: `[ISO start of the step, count]`. */
export interface StatsSeries {
  key: string;
  total: number;
  points: Array<[string, number]>;
}

/** StatsReply is the body of `GET /api/stats`. */
export interface StatsReply {
  step_seconds: number;
  from: string;
  to: string;
  series: StatsSeries[];
}

/** resolutionFor picks hour buckets for steps of whole hours, minute buckets otherwise. */
export function resolutionFor(stepSec: number): Resolution {
  return stepSec % HOUR.seconds === 0 ? HOUR : MINUTE;
}

/** stepStarts lists the starts (unix seconds) of the steps covering [fromMs, toMs), aligned to the step. */
export function stepStarts(fromMs: number, toMs: number, stepSec: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(fromMs / 1000 / stepSec) * stepSec; t * 1000 < toMs; t += stepSec) out.push(t);
  return out;
}

/** StatsReader answers stats queries from Redis. */
export interface StatsReader {
  read(q: StatsQuery): Promise<StatsReply>;
}

/**
 * createStatsReader reads buckets with the caller's connection, adding up the shards the recorder writes
 * to (default: the prefix alone): one pipeline per shard and query, each on one slot.
 */
export function createStatsReader(
  redis: RedisClient,
  prefix: string,
  shards: readonly string[] = [prefix],
): StatsReader {
  return {
    async read(q) {
      const res = resolutionFor(q.stepSec);
      const starts = stepStarts(q.fromMs, q.toMs, q.stepSec);
      const first = starts[0] ?? 0;
      const buckets: number[] = [];
      const last = first + starts.length * q.stepSec;
      for (let b = bucketStart(res, first * 1000); b < last; b += res.seconds) buckets.push(b);
      const perShard = await Promise.all(
        shards.map((tag) => {
          const pipe = redis.pipeline();
          for (const b of buckets) pipe.hgetall(bucketKey(tag, res, q.dim, b));
          return pipe.exec().then((r) => r ?? []);
        }),
      );
      const series = new Map<string, number[]>();
      for (const replies of perShard) {
        buckets.forEach((b, i) => {
          const [err, hash] = replies[i] ?? [];
          if (err) throw err;
          const step = Math.floor((b - first) / q.stepSec);
          if (step < 0 || step >= starts.length) return;
          for (const [key, text] of Object.entries((hash ?? {}) as Record<string, string>)) {
            let points = series.get(key);
            if (!points) {
              points = new Array<number>(starts.length).fill(0);
              series.set(key, points);
            }
            points[step] = (points[step] ?? 0) + Number(text);
          }
        });
      }
      const iso = starts.map((t) => new Date(t * 1000).toISOString());
      const all = [...series].map(([key, counts]) => ({
        key,
        total: counts.reduce((a, b) => a + b, 0),
        counts,
      }));
      all.sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
      return {
        step_seconds: q.stepSec,
        from: new Date(first * 1000).toISOString(),
        to: new Date(last * 1000).toISOString(),
        series: keepTop(all, q.top).map(({ key, total, counts }) => ({
          key,
          total,
          points: counts.map((n, i): [string, number] => [iso[i] as string, n]),
        })),
      };
    },
  };
}

function keepTop<T extends { key: string; total: number; counts: number[] }>(all: T[], top?: number): T[] {
  if (top === undefined || all.length <= top) return all;
  const kept = all.filter((s) => s.key !== OTHER).slice(0, top);
  const rest = all.filter((s) => !kept.includes(s));
  const counts = (rest[0]?.counts ?? []).map((_, i) => rest.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0));
  return [...kept, { key: OTHER, total: rest.reduce((a, s) => a + s.total, 0), counts } as T];
}
