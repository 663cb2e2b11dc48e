// The nesting-depth check every request body goes through, held to a plain recursive count.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nestedDeeperThan } from "../../../src/ingest/coerce.js";

/** depthOf counts nesting the obvious way: a scalar is 0, an array or object is 1 + its deepest member. */
function depthOf(v: unknown): number {
  if (typeof v !== "object" || v === null) return 0;
  const members = Array.isArray(v) ? v : Object.values(v);
  return 1 + members.reduce((m: number, c) => Math.max(m, depthOf(c)), 0);
}

describe("nestedDeeperThan", () => {
  it("agrees with a recursive depth count on any JSON value and limit", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (v, max) => {
        expect(nestedDeeperThan(v, max)).toBe(depthOf(v) > max);
      }),
      { numRuns: 500 },
    );
  });

  it("says so for a body nested 20,000 deep, without recursion", () => {
    const deep = JSON.parse(`${"[".repeat(20_000)}${"]".repeat(20_000)}`) as unknown;
    expect(nestedDeeperThan(deep, 64)).toBe(true);
    expect(nestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestedDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });
});
