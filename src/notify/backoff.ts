// The retry schedule of notifications: exponential from `notify.backoff`, capped, with jitter.

/** BACKOFF_TYPE names the custom BullMQ backoff strategy the notifications worker registers. */
export const BACKOFF_TYPE = "waba-alerts";

/**
 * JITTER is the largest fraction a delay moves up or down, so that many alerts failing together do not
 * come back together. 15 % (within the 20 % DESIGN allows) keeps the default schedule above 24 hours
 * even when every draw is the lowest possible.
 */
export const JITTER = 0.15;

/** BackoffSettings are the config's `notify.backoff` and `notify.max_backoff`, in milliseconds. */
export interface BackoffSettings {
  backoffMs: number;
  maxBackoffMs: number;
}

/**
 * backoffDelay is the wait after failed attempt number `attempt` (1-based): backoffMs × 2^(attempt-1),
 * capped at maxBackoffMs, then moved by up to ±JITTER. `random` is injectable so tests can pin it.
 */
export function backoffDelay(
  attempt: number,
  s: BackoffSettings,
  random: () => number = Math.random,
): number {
  const nominal = Math.min(s.maxBackoffMs, s.backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(nominal * (1 + JITTER * (2 * random() - 1))));
}

/**
 * retryDelay is the wait before the next attempt: what the receiver asked for with Retry-After
 * (capped at maxBackoffMs, so one answer cannot park a notification for days), else backoffDelay.
 */
export function retryDelay(
  attempt: number,
  s: BackoffSettings,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), s.maxBackoffMs);
  return backoffDelay(attempt, s, random);
}
