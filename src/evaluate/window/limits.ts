// Bounds shared by both window stores, so the Redis and memory stores keep exactly the same state.
import type { WindowProbe, WindowState } from "./types.js";

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

/** CountProbe names a count or distinct window for the resolver. */
export type CountProbe = Extract<WindowProbe, { kind: "count" }>;

/** CountInspector reads a count or distinct window without counting anything. */
export interface CountInspector {
  /** inspect reads a window's current count and when it was last above its threshold; it changes nothing. */
  inspect(probe: CountProbe, nowMs: number): Promise<WindowState>;
}

/** countState is a count window's state for the resolver: rules without a threshold count 0 and are never over. */
export function countState(probe: CountProbe, count: number, aboveMs: number | undefined): WindowState {
  const n = probe.windowMs === 0 ? 0 : count;
  return {
    count: n,
    over: probe.windowMs > 0 && n > probe.moreThan,
    ...(aboveMs !== undefined ? { aboveMs } : {}),
  };
}
