// Bounds shared by both window stores, so the Redis and memory stores keep exactly the same state.

/** NO_THRESHOLD_DEDUP_MS is how long event ids of rules without a threshold are remembered (Meta retries for a day). */
export const NO_THRESHOLD_DEDUP_MS = 86_400_000;

/** NO_THRESHOLD_DEDUP_CAP bounds the remembered ids per rule+group of rules without a threshold. */
export const NO_THRESHOLD_DEDUP_CAP = 10_000;

/** TTL_SLACK_MS is added to every window key's TTL so a key never expires while its window still counts. */
export const TTL_SLACK_MS = 60_000;

/** windowTtlMs is the lifetime a window's keys get on each write: window + cooldown + slack (+ how far the event is in the future). */
export function windowTtlMs(
  windowMs: number,
  cooldownMs: number,
  eventTimeMs: number,
  nowMs: number,
): number {
  if (windowMs === 0) return Math.max(NO_THRESHOLD_DEDUP_MS, cooldownMs) + TTL_SLACK_MS;
  return windowMs + cooldownMs + TTL_SLACK_MS + Math.max(0, eventTimeMs - nowMs);
}
