// Where the activity counters live in Redis: dimensions, two resolutions, key names and bounds.

/** StatsBy is what a series is keyed by: `GET /api/stats?by=…`. */
export type StatsBy = "code" | "phone_number_id" | "rule" | "template";

/** StatsCount is what a series counts: `GET /api/stats?count=…` (each `by` allows some). */
export type StatsCount = "errors" | "events" | "matches" | "evaluations";

/**
 * STATS_MEASURES lists, per `by`, the counts kept; the first is the default. `errors` are events that
 * carry an error code; `matches` and `evaluations` are a rule's matching and candidate events.
 */
export const STATS_MEASURES: Readonly<Record<StatsBy, readonly StatsCount[]>> = Object.freeze({
  code: ["errors"],
  phone_number_id: ["errors", "events"],
  rule: ["matches", "evaluations"],
  template: ["events"],
});

/** Resolution is one granularity of buckets with how long its buckets are kept. */
export interface Resolution {
  readonly name: "m" | "h";
  readonly seconds: number;
  readonly keepMs: number;
}

/** MINUTE buckets answer steps under an hour; kept 25 h so "the last 24 h" is always whole. */
export const MINUTE: Resolution = Object.freeze({ name: "m", seconds: 60, keepMs: 25 * 3_600_000 });

/** HOUR buckets answer steps of whole hours; kept 8 days so "the last 7 days" is always whole. */
export const HOUR: Resolution = Object.freeze({ name: "h", seconds: 3600, keepMs: 8 * 86_400_000 });

/**
 * MAX_VALUES_PER_BUCKET bounds the distinct values one bucket keeps (codes, numbers, rules, templates);
 * counts of further values go to OTHER. It stays under Redis's listpack limit (128), so every bucket
 * is a compact hash.
 */
export const MAX_VALUES_PER_BUCKET = 100;

/**
 * MAX_RULES_PER_BUCKET bounds rule buckets. Rule ids come from the admin's own files, not from traffic,
 * so the bound is generous: the Rules page needs every rule's own count.
 */
export const MAX_RULES_PER_BUCKET = 1000;

/** valueLimit is the most distinct values a bucket of `dim` keeps before folding the rest into OTHER. */
export function valueLimit(dim: string): number {
  return dim.startsWith("rule:") ? MAX_RULES_PER_BUCKET : MAX_VALUES_PER_BUCKET;
}

/** OTHER is the series that gathers values past MAX_VALUES_PER_BUCKET (no code, number or rule id looks like it). */
export const OTHER = "(other)";

/** dimension names one kept counter family, e.g. `phone_number_id:events`. */
export function dimension(by: StatsBy, count: StatsCount): string {
  return `${by}:${count}`;
}

/**
 * bucketKey names one bucket hash (field = value, e.g. a code; value = count) of one shard. A shard's keys
 * sit under its hash tag (the prefix, or a queue partition's tag), so a batch's increments are one script
 * call on one Redis Cluster slot; readers add the shards up.
 */
export function bucketKey(tag: string, res: Resolution, dim: string, bucketSec: number): string {
  return `{${tag}}:stats:${res.name}:${dim}:${bucketSec}`;
}

/** bucketStart is the start (unix seconds) of the bucket of `res` holding time `ms`. */
export function bucketStart(res: Resolution, ms: number): number {
  return Math.floor(ms / 1000 / res.seconds) * res.seconds;
}
