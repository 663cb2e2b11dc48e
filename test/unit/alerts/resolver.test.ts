// resolveDecision and resolvedAlert: when a firing counts as calmed down, and what the resolved alert says.
import { describe, expect, it } from "vitest";
import type { PendingResolve } from "../../../src/alerts/resolve-store.js";
import { resolveDecision, resolvedAlert, resolvedAlertId } from "../../../src/alerts/resolver.js";
import type { Alert } from "../../../src/model/alert.js";

const MIN = 60_000;
const T0 = 1_767_300_000_000;

const firing = {
  id: "abc123",
  type: "alert.firing",
  rule: { id: "spam", description: "d", severity: "critical" },
  group: { phone_number_id: "1" },
  code: 131048,
  title: "Spam rate limit hit",
  count: 6,
  received_at: T0,
  created_at: new Date(T0).toISOString(),
} as unknown as Alert;

const pending = (over: Partial<PendingResolve> = {}): PendingResolve => ({
  alert: firing,
  windowKey: "spam|1",
  windowMs: 10 * MIN,
  moreThan: 5,
  distinct: false,
  resolveAfterMs: 10 * MIN,
  firedAtMs: T0,
  ...over,
});

describe("resolveDecision", () => {
  it("waits resolve_after from the last time the window was above its threshold", () => {
    const state = { count: 0, over: false, aboveMs: T0 + 3 * MIN };
    expect(resolveDecision(pending(), state, T0 + 12 * MIN, 5000)).toEqual({
      resolve: false,
      nextCheckMs: T0 + 13 * MIN,
    });
    expect(resolveDecision(pending(), state, T0 + 13 * MIN, 5000)).toEqual({ resolve: true });
  });

  it("does not resolve while the count is still above the threshold", () => {
    const d = resolveDecision(
      pending({ resolveAfterMs: MIN }),
      { count: 6, over: true, aboveMs: T0 },
      T0 + 2 * MIN,
      5000,
    );
    expect(d).toEqual({ resolve: false, nextCheckMs: T0 + 2 * MIN + 5000 });
  });

  it("counts from the firing when the window keys have expired", () => {
    expect(resolveDecision(pending(), { count: 0, over: false }, T0 + 9 * MIN, 5000).resolve).toBe(false);
    expect(resolveDecision(pending(), { count: 0, over: false }, T0 + 10 * MIN, 5000).resolve).toBe(true);
  });

  it("ignores the count for rules without a threshold", () => {
    const p = pending({ windowMs: 0, moreThan: 0, resolveAfterMs: 15 * MIN });
    expect(
      resolveDecision(p, { count: 0, over: false, aboveMs: T0 + MIN }, T0 + 16 * MIN, 5000).resolve,
    ).toBe(true);
  });
});

describe("resolvedAlert", () => {
  it("keeps rule, group, code and title, with a stable new id and the current count", () => {
    const r = resolvedAlert(firing, { count: 1, over: false }, T0 + 20 * MIN);
    expect(r).toMatchObject({
      type: "alert.resolved",
      rule: firing.rule,
      group: firing.group,
      code: 131048,
      title: firing.title,
      count: 1,
    });
    expect(r.id).toBe(resolvedAlertId(firing.id));
    expect(r.id).not.toBe(firing.id);
    expect(r.received_at).toBeUndefined();
  });
});
