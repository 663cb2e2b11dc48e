// Random absence streams (arrivals, sweeps that ack or crash) run through the reference model and a store.
import fc from "fast-check";
import { expect } from "vitest";
import type { AbsenceClaim, AbsenceStore, AbsentRuleRef, Arrival } from "../../src/evaluate/absence/types.js";
import { resolutionFor } from "../../src/rules/resolution.js";
import { ReferenceAbsence } from "./absence-reference.js";

const SEC = 1000;
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const LEASE_MS = 20 * SEC;

const ruleArb = (key: string): fc.Arbitrary<AbsentRuleRef> =>
  fc
    .record({
      forMs: fc.constantFrom(10 * SEC, 30 * SEC),
      after: fc.constantFrom(1, 2, 4),
      withinMs: fc.constantFrom(10 * SEC, 60 * SEC, 150 * SEC),
    })
    .map((r) => ({ key, ...r, resolutionMs: resolutionFor(r.withinMs) }));

const stepArb = fc.record({
  advance: fc.constantFrom(0, 1, 3, 8, 15, 40),
  op: fc.oneof(
    fc.record({
      kind: fc.constant("record" as const),
      arrivals: fc.uniqueArray(
        fc.record({
          rule: fc.nat(1),
          group: fc.integer({ min: 0, max: 3 }),
          n: fc.integer({ min: 1, max: 3 }),
        }),
        { minLength: 1, maxLength: 4, selector: (a) => `${a.rule}/${a.group}` },
      ),
    }),
    fc.record({
      kind: fc.constant("sweep" as const),
      rule: fc.nat(1),
      crash: fc.boolean(),
      max: fc.constantFrom(1, 10),
    }),
  ),
});

/** absenceStreams generates two absent rules and up to 50 steps, well within every lifetime. */
export const absenceStreams = fc.record({
  rules: fc.tuple(ruleArb("absent-a@1"), ruleArb("absent-b@2")),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 50 }),
});

/** AbsenceStream is one generated stream. */
export type AbsenceStream = typeof absenceStreams extends fc.Arbitrary<infer T> ? T : never;

/** matchesAbsenceReference requires identical arrival outcomes, claims and "has it come back" readings. */
export async function matchesAbsenceReference(store: AbsenceStore, stream: AbsenceStream): Promise<void> {
  const reference = new ReferenceAbsence();
  const fired: AbsenceClaim[] = [];
  let now = T0;
  for (const [i, step] of stream.steps.entries()) {
    now += step.advance * SEC;
    const op = step.op;
    if (op.kind === "record") {
      const arrivals: Arrival[] = op.arrivals.map((a) => ({
        rule: stream.rules[a.rule] as AbsentRuleRef,
        group: `g${a.group}`,
        count: a.n,
        context: JSON.stringify({ step: i, group: a.group }),
      }));
      expect(await store.record(arrivals, now), `arrivals of step ${i}`).toEqual(
        reference.record(arrivals, now),
      );
    } else {
      const rule = stream.rules[op.rule] as AbsentRuleRef;
      const want = reference.claim(rule, now, LEASE_MS, op.max);
      const got = await store.claim(rule, now, LEASE_MS, op.max);
      expect(got, `claims of step ${i}`).toEqual(want);
      if (!op.crash) {
        for (const c of got) {
          reference.ack(c);
          await store.ack(c, now);
          fired.push(c);
        }
      }
    }
    for (const c of fired) {
      const { key, withinMs, resolutionMs } = c.rule;
      const probe = {
        kind: "absent" as const,
        key,
        group: c.group,
        withinMs,
        resolutionMs,
        silentSinceMs: c.silentSinceMs,
      };
      expect(await store.inspectAbsence(probe, now), `reading of ${c.group} after step ${i}`).toEqual(
        reference.inspect(probe, now),
      );
    }
  }
}
