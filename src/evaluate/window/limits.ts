// Bounds shared by both window stores, so the Redis and memory stores keep exactly the same state.
import type { WindowClock, WindowHit } from "./types.js";

/** NO_THRESHOLD_DEDUP_MS is how long event ids of rules without a threshold are remembered (Meta retries for a day). */
export const NO_THRESHOLD_DEDUP_MS = 86_400_000;

/** NO_THRESHOLD_DEDUP_CAP bounds the remembered ids per rule+group of rules without a threshold. */
export const NO_THRESHOLD_DEDUP_CAP = 10_000;

/**
 * windowTtlMs is the lifetime a window's keys get on each write. A counting window lives at most
 * window + cooldown + resolve_after past the last write, whatever the event times; a rule without a
 * threshold remembers ids by processing time for a day (or its cooldown, when longer).
 */
export function windowTtlMs(windowMs: number, cooldownMs: number, resolveAfterMs: number): number {
  if (windowMs === 0) return Math.max(NO_THRESHOLD_DEDUP_MS, cooldownMs);
  return windowMs + cooldownMs + resolveAfterMs;
}

/** isFuture says whether a hit lies beyond the clock's future limit (it is then counted nowhere). */
export function isFuture(hit: WindowHit, clock: WindowClock): boolean {
  return hit.eventTimeMs > clock.futureLimitMs;
}
