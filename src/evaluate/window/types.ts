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
  /** Ratio rules: events matching `of` inside the window at the crossing. */
  readonly ofCount?: number;
  /** Spike rules: the usual count per window over the baseline at the crossing. */
  readonly baselineCount?: number;
}

/** CountExtras is what a ratio or spike outcome says besides its count. */
export interface CountExtras {
  /** Ratio rules: events matching `of` inside the window. */
  readonly ofCount?: number;
  /** Spike rules: the usual count per window over the baseline. */
  readonly baselineCount?: number;
  /** Spike rules: true while the group has less than one window of history (it cannot fire yet). */
  readonly learning?: true;
  /** Absent rules: whether the group is watched for silence (else `count` arrivals toward `after`). */
  readonly watched?: boolean;
}

/**
 * WindowOutcome is what counting one hit did. `evicted` (when above 0) says how many older entries the
 * window's entry cap pushed out to make room for this hit.
 */
export type WindowOutcome =
  | ({ readonly kind: "counted"; readonly count: number; readonly evicted?: number } & CountExtras)
  | { readonly kind: "fired"; readonly firing: Firing; readonly evicted?: number }
  /** A redelivery of the event that crossed: the same firing again, so a crash between fire and hand-off loses nothing. */
  | { readonly kind: "refired"; readonly firing: Firing }
  | ({
      readonly kind: "cooldown";
      readonly count: number;
      readonly untilMs: number;
      readonly evicted?: number;
    } & CountExtras)
  | { readonly kind: "duplicate" }
  | { readonly kind: "late" }
  | { readonly kind: "future" };

/** WindowOutcomeKind names an outcome, as the `waba_alerts_window_outcomes_total` metric labels it. */
export type WindowOutcomeKind = WindowOutcome["kind"];

/**
 * BucketLine is what a bucketed window fires on: a share of `of` events (ratio) or a jump over the
 * usual count per window (spike).
 */
export type BucketLine =
  | { readonly kind: "ratio"; readonly moreThan: number; readonly minOf: number }
  | {
      readonly kind: "spike";
      readonly moreThan: number;
      readonly min: number;
      readonly baselineMs: number;
      readonly baselineResolutionMs: number;
    };

/** BucketHit is one matched event for a ratio or spike rule+group window, counted in time buckets. */
export interface BucketHit {
  /** The rule's state key: every window of the rule shares one hash tag, so a batch costs one call per rule. */
  readonly ruleKey: string;
  /** The rule+group window: ruleKey, "|", group key. */
  readonly key: string;
  readonly eventId: string;
  /** Event time, unix ms. */
  readonly eventTimeMs: number;
  readonly windowMs: number;
  /** Bucket size: the window is the newest ceil(window / resolution) buckets. */
  readonly resolutionMs: number;
  readonly line: BucketLine;
  /** The event matches `when`: it counts toward `count` (and a spike's baseline) and may be a sample. */
  readonly counts: boolean;
  /** Ratio rules: the event matches `of`, so it counts toward `ofCount`. */
  readonly ofCounts: boolean;
  readonly cooldownMs: number;
  readonly resolveAfterMs: number;
  readonly sample: string;
  readonly maxSamples: number;
}

/** WindowProbe names one rule+group window and how to read it, for the resolver. */
export type WindowProbe =
  | {
      readonly kind: "count";
      readonly key: string;
      /** 0 for rules without a threshold (their count is always reported as 0, never over). */
      readonly windowMs: number;
      readonly moreThan: number;
      /** True for `distinct` rules: count distinct values instead of events. */
      readonly distinct: boolean;
    }
  | {
      readonly kind: "bucket";
      readonly key: string;
      readonly windowMs: number;
      readonly resolutionMs: number;
      readonly line: BucketLine;
    }
  | {
      readonly kind: "absent";
      /** The absent rule's state key. */
      readonly key: string;
      readonly group: string;
      readonly withinMs: number;
      readonly resolutionMs: number;
      /** The last arrival the absence fired for; an arrival after it ends the silence. */
      readonly silentSinceMs: number;
    };

/** WindowState is what a window looks like at one moment, for deciding whether a firing has resolved. */
export interface WindowState extends CountExtras {
  /** Matching events (or distinct values) inside the trailing window at `nowMs`. */
  readonly count: number;
  /** True while the window is over its line (above the threshold, ratio or spike; still silent). */
  readonly over: boolean;
  /** Last processing time (unix ms) a hit found the window over its line; absent when never, or expired. */
  readonly aboveMs?: number;
}

/** WindowStore counts hits atomically; `apply` handles a batch in order (one round trip for Redis). */
export interface WindowStore {
  apply(hits: readonly WindowHit[], clock: WindowClock): Promise<WindowOutcome[]>;
}

/** BucketStore counts ratio and spike hits atomically, a batch in order, one call per window. */
export interface BucketStore {
  applyBuckets(hits: readonly BucketHit[], clock: WindowClock): Promise<WindowOutcome[]>;
}

/** WindowInspector reads a window without counting anything (the resolver's view). */
export interface WindowInspector {
  /** inspect reads a window's current count and when it was last over its line; it changes nothing. */
  inspect(probe: WindowProbe, nowMs: number): Promise<WindowState>;
}
