// The compiled matcher against json-rules-engine itself: same verdict and same trace for any tree and event.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Event } from "../../../src/model/event.js";
import { engineMatcher } from "../../../src/rules/compile.js";
import { compileMatcher } from "../../../src/rules/matcher.js";
import { OPERATORS } from "../../../src/rules/schema.js";
import type { ConditionNode } from "../../../src/rules/types.js";

const FACTS = [
  "code",
  "status",
  "kind",
  "recipient_id",
  "template.name",
  "value.errors[0].code",
  "tags",
  "missing",
];
const scalar = fc.oneof(
  fc.constantFrom(131048, 131026, 0, -1, 2.5, "131048", "failed", "fail", "ile", "", "12abc", true, false, null),
  fc.integer({ min: -5, max: 5 }),
);
const factValue = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.constant(undefined),
  fc.record({ name: scalar }),
  fc.record({ errors: fc.array(fc.record({ code: scalar }), { maxLength: 2 }) }),
);

const leaf: fc.Arbitrary<ConditionNode> = fc
  .record({
    fact: fc.constantFrom(...FACTS),
    operator: fc.constantFrom(...OPERATORS),
    scalar,
    list: fc.array(scalar, { maxLength: 3 }),
    ref: fc.option(fc.constantFrom(...FACTS), { nil: undefined, freq: 5 }),
  })
  .map(({ fact, operator, scalar: s, list, ref }) => {
    const listOp = operator === "in" || operator === "notIn";
    const value = ref !== undefined && !listOp ? { fact: ref } : listOp ? list : s;
    return { fact, operator, value };
  });

const tree: fc.Arbitrary<ConditionNode> = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    tie("node").map((not) => ({ not })),
  ),
})).node;

const event: fc.Arbitrary<Event> = fc
  .record({
    code: factValue,
    status: factValue,
    kind: fc.constantFrom("status", "status_error"),
    recipient_id: factValue,
    template: factValue,
    value: factValue,
    tags: factValue,
  })
  .map((facts) => {
    const e: Record<string, unknown> = { id: "e1", source: "whatsapp", timestamp: 1 };
    for (const [k, v] of Object.entries(facts)) if (v !== undefined) e[k] = v;
    return e as Event;
  });

async function outcome<T>(f: () => Promise<T> | T): Promise<{ ok: T } | { threw: true }> {
  try {
    return { ok: await f() };
  } catch {
    return { threw: true };
  }
}

describe("compiled matcher", () => {
  it("gives json-rules-engine's verdict and condition trace for any tree and event", async () => {
    await fc.assert(
      fc.asyncProperty(tree, event, async (when, e) => {
        const expected = await outcome(() => engineMatcher(when)(e));
        const actual = await outcome(() => compileMatcher(when)(e));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });
});
