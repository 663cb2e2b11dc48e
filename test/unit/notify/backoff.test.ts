// The retry schedule: exponential, capped, jittered, honouring Retry-After, and long enough by default.
import { describe, expect, it } from "vitest";
import { type BackoffSettings, backoffDelay, JITTER, retryDelay } from "../../../src/notify/backoff.js";

const defaults = { backoffMs: 2000, maxBackoffMs: 3_600_000 };
const HOUR = 3_600_000;

/** retrySpanMs is the total wait across `attempts` attempts (attempts − 1 delays) for a fixed jitter draw. */
function retrySpanMs(attempts: number, s: BackoffSettings, random: () => number): number {
  let total = 0;
  for (let attempt = 1; attempt < attempts; attempt++) total += backoffDelay(attempt, s, random);
  return total;
}

describe("backoff schedule", () => {
  it("doubles from the base and stops at the cap", () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, defaults, mid))).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffDelay(12, defaults, mid)).toBe(HOUR);
    expect(backoffDelay(39, defaults, mid)).toBe(HOUR);
  });

  it("moves each delay by at most ±JITTER", () => {
    expect(backoffDelay(3, defaults, () => 0)).toBe(Math.round(8000 * (1 - JITTER)));
    expect(backoffDelay(3, defaults, () => 1)).toBe(Math.round(8000 * (1 + JITTER)));
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(5, defaults);
      expect(d).toBeGreaterThanOrEqual(32000 * (1 - JITTER) - 1);
      expect(d).toBeLessThanOrEqual(32000 * (1 + JITTER) + 1);
    }
  });

  it("keeps retrying for at least 24 hours with the default 40 attempts, even with the unluckiest jitter", () => {
    const lowest = retrySpanMs(40, defaults, () => 0);
    const nominal = retrySpanMs(40, defaults, () => 0.5);
    expect(lowest).toBeGreaterThanOrEqual(24 * HOUR);
    expect(nominal).toBeGreaterThanOrEqual(29 * HOUR);
    expect(nominal).toBeLessThan(30 * HOUR);
  });

  it("uses the receiver's Retry-After instead, capped at the maximum backoff", () => {
    expect(retryDelay(1, defaults, 1000)).toBe(1000);
    expect(retryDelay(1, defaults, 5 * HOUR)).toBe(HOUR);
    expect(retryDelay(2, defaults, undefined, () => 0.5)).toBe(4000);
  });
});
