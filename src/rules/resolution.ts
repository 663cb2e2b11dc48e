// Counter resolution of ratio, spike and absent rules: how finely their time buckets cut a window.

/** MAX_BUCKETS is how many buckets a window (or a spike's baseline) is cut into, at most. */
export const MAX_BUCKETS = 60;

/**
 * resolutionFor is the bucket size of a window: within/60 rounded up to whole seconds, at least 1 s, so a
 * window never needs more than 60 buckets (1h → 1 min, 10m → 10 s, 30s → 1 s).
 */
export function resolutionFor(withinMs: number): number {
  return Math.max(1000, Math.ceil(withinMs / MAX_BUCKETS / 1000) * 1000);
}

/**
 * baselineResolutionFor is the bucket size of a spike's baseline: a whole multiple of the window's
 * resolution that cuts the baseline into at most 60 buckets (24h with a 10m window → 24 min).
 */
export function baselineResolutionFor(baselineMs: number, resolutionMs: number): number {
  return resolutionMs * Math.max(1, Math.ceil(baselineMs / MAX_BUCKETS / resolutionMs));
}
