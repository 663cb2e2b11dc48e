// Lifetimes and the "has it come back?" reading shared by both absence stores.
import { bucketOf, lowestBucket, SEEN_MARGIN_MS } from "../window/buckets.js";
import type { WindowState } from "../window/types.js";
import type { AbsentProbe, AbsentRuleRef } from "./types.js";

/**
 * ABSENT_MEMORY_MS is how long an absent rule's state outlives its last write: long enough to remember a
 * fired silence through a week-long outage, so the group's return still resolves it.
 */
export const ABSENT_MEMORY_MS = 7 * 86_400_000;

/** absentTtlMs is the lifetime every write gives an absent rule's shared keys. */
export function absentTtlMs(rule: AbsentRuleRef): number {
  return rule.forMs + rule.withinMs + ABSENT_MEMORY_MS;
}

/** qualifyTtlMs is the lifetime of a group's arrival counters: past it, every bucket is out of the window anyway. */
export function qualifyTtlMs(rule: AbsentRuleRef): number {
  return rule.withinMs + rule.resolutionMs + SEEN_MARGIN_MS;
}

/** GroupReading is what the stores know about one group when asked whether its silence ended. */
export interface GroupReading {
  /** First arrival after the silence fired (recorded when the group spoke while fired or claimed). */
  readonly backMs?: number;
  /** Its last arrival while watched. */
  readonly watchedMs?: number;
  /** Its arrival counters (bucket → arrivals) while not watched. */
  readonly buckets: ReadonlyMap<number, number>;
}

/**
 * absenceState reads a fired absence: over (still silent) until the group spoke after `silentSinceMs`,
 * whichever trace that left; `count` is its arrivals inside `within` (0 while watched).
 */
export function absenceState(probe: AbsentProbe, nowMs: number, g: GroupReading): WindowState {
  const lo = lowestBucket(nowMs, probe.withinMs, probe.resolutionMs);
  const since = bucketOf(probe.silentSinceMs, probe.resolutionMs);
  let count = 0;
  let spoke = (g.backMs ?? 0) > probe.silentSinceMs || (g.watchedMs ?? 0) > probe.silentSinceMs;
  for (const [i, n] of g.buckets) {
    if (i < lo) continue;
    count += n;
    // A later bucket can only hold arrivals after the silence began.
    if (i > since && n > 0) spoke = true;
  }
  return { count, over: !spoke };
}
