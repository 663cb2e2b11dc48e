// fast-check streams of window batches: random order, repeated ids and values, ties, late and future times.
import fc from "fast-check";
import type { WindowClock, WindowHit } from "../../src/evaluate/window/types.js";

const SEC = 1000;
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

/** WindowRule is one rule+group window's settings in a stream. */
export interface WindowRule {
  readonly key: string;
  readonly windowMs: number;
  readonly moreThan: number;
  readonly cooldownMs: number;
  readonly distinct: boolean;
  readonly maxSamples: number;
}

/** StreamBatch is one batch of hits counted at one clock. */
export interface StreamBatch {
  readonly clock: WindowClock;
  readonly hits: readonly WindowHit[];
}

/** PROPERTY_RUNS is how many streams a property tries: small for `npm test`, WINDOW_PROPERTY_RUNS for a long run. */
export const PROPERTY_RUNS = Number(process.env.WINDOW_PROPERTY_RUNS ?? 60);

const ruleArb = (key: string): fc.Arbitrary<WindowRule> =>
  fc.record({
    key: fc.constant(key),
    windowMs: fc.constantFrom(0, 10 * SEC, 60 * SEC),
    moreThan: fc.integer({ min: 0, max: 4 }),
    cooldownMs: fc.constantFrom(0, 5 * SEC, 30 * SEC),
    distinct: fc.boolean(),
    maxSamples: fc.integer({ min: 0, max: 3 }),
  });

const hitSpec = fc.record({
  rule: fc.nat(),
  id: fc.integer({ min: 0, max: 24 }),
  /** Seconds from the processing clock: well in the past (late), inside, or ahead (future past 30 s). */
  offset: fc.integer({ min: -90, max: 45 }),
  /** Redeliveries keep the id's first time, as Meta's do, unless this says otherwise. */
  keepTime: fc.boolean(),
  value: fc.integer({ min: 0, max: 4 }),
});

const batchSpec = fc.record({
  /** Seconds the processing clock moves before the batch: often not at all (ties). */
  advance: fc.constantFrom(0, 0, 1, 2, 5, 12, 40),
  /** Seconds the request waited in the queue before processing. */
  lag: fc.constantFrom(0, 0, 3, 20),
  hits: fc.array(hitSpec, { minLength: 1, maxLength: 6 }),
});

/** windowStreams generates 1–3 windows and up to 40 batches; the whole stream spans well under any TTL. */
export const windowStreams: fc.Arbitrary<{ rules: WindowRule[]; batches: StreamBatch[] }> = fc
  .record({
    rules: fc
      .tuple(ruleArb("r|a"), ruleArb("r|b"), ruleArb("r|c"))
      .chain((all) => fc.integer({ min: 1, max: 3 }).map((n) => all.slice(0, n))),
    batches: fc.array(batchSpec, { minLength: 1, maxLength: 40 }),
  })
  .map(({ rules, batches }) => {
    let now = T0;
    const firstTime = new Map<string, number>();
    const out: StreamBatch[] = batches.map((b) => {
      now += b.advance * SEC;
      const clock = { nowMs: now, futureLimitMs: now - b.lag * SEC + 30 * SEC };
      const hits = b.hits.map((spec): WindowHit => {
        const rule = rules[spec.rule % rules.length] as WindowRule;
        const id = `e${spec.id}`;
        const idKey = `${rule.key}/${id}`;
        const own = now + spec.offset * SEC;
        const time = spec.keepTime ? (firstTime.get(idKey) ?? own) : own;
        if (!firstTime.has(idKey)) firstTime.set(idKey, time);
        return {
          key: rule.key,
          eventId: id,
          eventTimeMs: time,
          windowMs: rule.windowMs,
          moreThan: rule.windowMs === 0 ? 0 : rule.moreThan,
          cooldownMs: rule.cooldownMs,
          // Long enough that no window expires inside a stream (Redis TTLs run on the wall clock).
          resolveAfterMs: 3_600_000,
          ...(rule.distinct && rule.windowMs > 0 ? { distinctValue: `v${spec.value}` } : {}),
          sample: JSON.stringify({ id, t: time }),
          maxSamples: rule.maxSamples,
          maxEntries: 100_000,
        };
      });
      return { clock, hits };
    });
    return { rules, batches: out };
  });
