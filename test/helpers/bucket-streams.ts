// fast-check streams of ratio and spike batches: shuffled times, redeliveries, late and future events, bursts.
import fc from "fast-check";
import type { BucketHit, BucketLine, WindowClock } from "../../src/evaluate/window/types.js";
import { baselineResolutionFor, resolutionFor } from "../../src/rules/resolution.js";

const SEC = 1000;
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

/** BucketRule is one bucketed rule's settings in a stream; its events fall in two groups. */
export interface BucketRule {
  /** The rule's state key; its windows are `<key>|g0` and `<key>|g1`. */
  readonly key: string;
  readonly windowMs: number;
  readonly resolutionMs: number;
  readonly line: BucketLine;
  readonly cooldownMs: number;
  readonly maxSamples: number;
}

/** BucketBatch is one batch of hits counted at one clock. */
export interface BucketBatch {
  readonly clock: WindowClock;
  readonly hits: readonly BucketHit[];
}

const ruleArb = (key: string): fc.Arbitrary<BucketRule> =>
  fc
    .record({
      windowMs: fc.constantFrom(10 * SEC, 60 * SEC, 150 * SEC),
      spike: fc.boolean(),
      share: fc.constantFrom(0, 0.2, 0.5),
      minOf: fc.constantFrom(1, 2, 4),
      factor: fc.constantFrom(1, 1.5, 3),
      min: fc.constantFrom(1, 2, 3),
      baselineTimes: fc.constantFrom(2, 4, 12),
      cooldownMs: fc.constantFrom(0, 5 * SEC, 30 * SEC),
      maxSamples: fc.integer({ min: 0, max: 3 }),
    })
    .map((r) => {
      const resolutionMs = resolutionFor(r.windowMs);
      const baselineMs = r.windowMs * r.baselineTimes;
      const line: BucketLine = r.spike
        ? {
            kind: "spike",
            moreThan: r.factor,
            min: r.min,
            baselineMs,
            baselineResolutionMs: baselineResolutionFor(baselineMs, resolutionMs),
          }
        : { kind: "ratio", moreThan: r.share, minOf: r.minOf };
      return {
        key,
        windowMs: r.windowMs,
        resolutionMs,
        line,
        cooldownMs: r.cooldownMs,
        maxSamples: r.maxSamples,
      };
    });

/** GROUPS are the window keys' group parts: two per rule, so a batch meets several windows of one rule. */
export const GROUPS = ["g0", "g1"] as const;

const hitSpec = fc.record({
  rule: fc.nat(),
  group: fc.constantFrom(...GROUPS),
  id: fc.integer({ min: 0, max: 40 }),
  /** Seconds from the clock: mostly recent, some older than a window (late), some ahead (future past 30 s). */
  offset: fc.oneof(fc.integer({ min: -20, max: 5 }), fc.integer({ min: -200, max: 45 })),
  /** Redeliveries keep the id's first time, as Meta's do, unless this says otherwise. */
  keepTime: fc.boolean(),
  /** 1: counts, 2: counts toward of, 3: both (spike hits always count). */
  flags: fc.constantFrom(1, 2, 2, 3),
});

const batchSpec = fc.record({
  advance: fc.constantFrom(0, 0, 1, 3, 7, 20, 60, 200),
  lag: fc.constantFrom(0, 0, 3, 20),
  hits: fc.array(hitSpec, { minLength: 1, maxLength: 8 }),
});

/** bucketStreams generates 1–3 bucketed windows and up to 40 batches, well within every TTL. */
export const bucketStreams: fc.Arbitrary<{ rules: BucketRule[]; batches: BucketBatch[] }> = fc
  .record({
    rules: fc
      .tuple(ruleArb("ra"), ruleArb("rb"), ruleArb("rc"))
      .chain((all) => fc.integer({ min: 1, max: 3 }).map((n) => all.slice(0, n))),
    batches: fc.array(batchSpec, { minLength: 1, maxLength: 40 }),
  })
  .map(({ rules, batches }) => {
    let now = T0;
    const firstTime = new Map<string, number>();
    const out = batches.map((b): BucketBatch => {
      now += b.advance * SEC;
      const clock = { nowMs: now, futureLimitMs: now - b.lag * SEC + 30 * SEC };
      const hits = b.hits.map((spec): BucketHit => {
        const rule = rules[spec.rule % rules.length] as BucketRule;
        const id = `e${spec.id}`;
        const key = `${rule.key}|${spec.group}`;
        const idKey = `${key}/${id}`;
        // Millisecond jitter puts events anywhere inside their bucket.
        const own = now + spec.offset * SEC + ((spec.id * 137) % 1000);
        const time = spec.keepTime ? (firstTime.get(idKey) ?? own) : own;
        if (!firstTime.has(idKey)) firstTime.set(idKey, time);
        const spike = rule.line.kind === "spike";
        return {
          ruleKey: rule.key,
          key,
          eventId: id,
          eventTimeMs: time,
          windowMs: rule.windowMs,
          resolutionMs: rule.resolutionMs,
          line: rule.line,
          counts: spike || spec.flags !== 2,
          ofCounts: !spike && spec.flags >= 2,
          cooldownMs: rule.cooldownMs,
          // Long enough that no window expires inside a stream (Redis TTLs run on the wall clock).
          resolveAfterMs: 3_600_000,
          sample: JSON.stringify({ id, t: time }),
          maxSamples: rule.maxSamples,
        };
      });
      return { clock, hits };
    });
    return { rules, batches: out };
  });
