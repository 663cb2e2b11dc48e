// The dry-run clock rule: file order is arrival order, the clock is the newest event time seen.

/** ArrivalTime is when one event happened and the clock it was counted at, unix ms. */
export interface ArrivalTime {
  readonly eventMs: number;
  readonly clockMs: number;
  /** False when the event had no time of its own and took the clock. */
  readonly ownTime: boolean;
}

/** hasOwnTime says whether an event carries a usable time of its own (unix seconds). */
export function hasOwnTime(event: { readonly timestamp?: unknown }): boolean {
  return typeof event.timestamp === "number" && Number.isFinite(event.timestamp);
}

/**
 * arrivalTimes places each event in time. The clock only moves forward, to the newest event time seen;
 * an event without a time of its own takes the clock, or the first timed event's time when it comes
 * before any (never the wall clock, so a captured file replays the same every day). With no timed event
 * at all, every event sits at time 0.
 */
export function arrivalTimes(events: ReadonlyArray<{ readonly timestamp?: unknown }>): ArrivalTime[] {
  const firstTimed = events.find(hasOwnTime) as { timestamp: number } | undefined;
  let clockMs = firstTimed ? firstTimed.timestamp * 1000 : 0;
  return events.map((event) => {
    if (!hasOwnTime(event)) return { eventMs: clockMs, clockMs, ownTime: false };
    const eventMs = (event.timestamp as number) * 1000;
    clockMs = Math.max(clockMs, eventMs);
    return { eventMs, clockMs, ownTime: true };
  });
}
