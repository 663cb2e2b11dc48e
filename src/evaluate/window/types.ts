// The window store interface: counting matched events per rule+group on event time, in Redis or memory.

/** WindowHit is one matched event to count for one rule and group. */
export interface WindowHit {
  /** Rule state key + group key; all of a window's Redis keys derive from it. */
  readonly key: string;
  readonly eventId: string;
  /** Event time, unix ms. */
  readonly eventTimeMs: number;
  /** 0 with moreThan 0 means "every new event fires" (rules without a threshold). */
  readonly windowMs: number;
  readonly moreThan: number;
  readonly cooldownMs: number;
  /** The rule's resolve_after: with the window and cooldown it bounds how long the window's keys live. */
  readonly resolveAfterMs: number;
  /** For `distinct` rules: the value counted; absent for plain counting. */
  readonly distinctValue?: string;
  /** Small JSON sample of the event, kept (bounded) to show in the alert. */
  readonly sample: string;
  /** How many samples to keep. */
  readonly maxSamples: number;
  /** The most event ids (and distinct values) one window keeps; past it the oldest give way. */
  readonly maxEntries: number;
}

/** WindowClock is the time a batch is counted at. */
export interface WindowClock {
  /** Processing time, unix ms: the window is (now - window, …]. */
  readonly nowMs: number;
  /** Event times above this (receiving clock + max future skew) are `future` and touch nothing. */
  readonly futureLimitMs: number;
}

/** Firing describes the window at the crossing: what the alert reports. */
export interface Firing {
  /** Events (or, for `distinct`, distinct values) inside the window at the crossing. */
  readonly count: number;
  /** Events inside the window at the crossing (equal to `count` unless counting distinct values). */
  readonly eventCount: number;
  /** Oldest and newest event time among the events counted. */
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  /** The event whose arrival crossed the threshold; alert ids derive from it. */
  readonly crossingEventId: string;
  /** Samples of counted events still inside the window, oldest arrival first. */
  readonly samples: readonly string[];
  /** True when the window held `maxEntries` and older entries gave way: `count` is then a floor. */
  readonly capped: boolean;
}

/**
 * WindowOutcome is what counting one hit did. `evicted` (when above 0) says how many older entries the
 * window's entry cap pushed out to make room for this hit.
 */
export type WindowOutcome =
  | { readonly kind: "counted"; readonly count: number; readonly evicted?: number }
  | { readonly kind: "fired"; readonly firing: Firing; readonly evicted?: number }
  /** A redelivery of the event that crossed: the same firing again, so a crash between fire and hand-off loses nothing. */
  | { readonly kind: "refired"; readonly firing: Firing }
  | { readonly kind: "cooldown"; readonly count: number; readonly untilMs: number; readonly evicted?: number }
  | { readonly kind: "duplicate" }
  | { readonly kind: "late" }
  | { readonly kind: "future" };

/** WindowOutcomeKind names an outcome, as the `waba_alerts_window_outcomes_total` metric labels it. */
export type WindowOutcomeKind = WindowOutcome["kind"];

/** WindowProbe names one rule+group window and how to count it, for reading its state without a hit. */
export interface WindowProbe {
  readonly key: string;
  /** 0 for rules without a threshold (their count is always reported as 0). */
  readonly windowMs: number;
  /** True for `distinct` rules: count distinct values instead of events. */
  readonly distinct: boolean;
}

/** WindowState is what a window looks like at one moment, for deciding whether a firing has resolved. */
export interface WindowState {
  /** Matching events (or distinct values) inside the trailing window at `nowMs`. */
  readonly count: number;
  /** Last processing time (unix ms) a hit found the count above the threshold; absent when never, or expired. */
  readonly aboveMs?: number;
}

/** WindowStore counts hits atomically; `apply` handles a batch in order (one round trip for Redis). */
export interface WindowStore {
  apply(hits: readonly WindowHit[], clock: WindowClock): Promise<WindowOutcome[]>;
}

/** WindowInspector reads a window without counting anything (the resolver's view). */
export interface WindowInspector {
  /** inspect reads a window's current count and when it was last above its threshold; it changes nothing. */
  inspect(probe: WindowProbe, nowMs: number): Promise<WindowState>;
}
