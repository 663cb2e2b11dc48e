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
  /** For `distinct` rules: the value counted; absent for plain counting. */
  readonly distinctValue?: string;
  /** Small JSON sample of the event, kept (bounded) to show in the alert. */
  readonly sample: string;
  /** How many samples to keep. */
  readonly maxSamples: number;
}

/** Firing describes the window at the crossing: what the alert reports. */
export interface Firing {
  readonly count: number;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  /** The event whose arrival crossed the threshold; alert ids derive from it. */
  readonly crossingEventId: string;
  readonly samples: readonly string[];
}

/** WindowOutcome is what counting one hit did. */
export type WindowOutcome =
  | { readonly kind: "counted"; readonly count: number }
  | { readonly kind: "fired"; readonly firing: Firing }
  /** A redelivery of the event that crossed: the same firing again, so a crash between fire and hand-off loses nothing. */
  | { readonly kind: "refired"; readonly firing: Firing }
  | { readonly kind: "cooldown"; readonly count: number; readonly untilMs: number }
  | { readonly kind: "duplicate" }
  | { readonly kind: "late" };

/** WindowStore counts hits atomically; `apply` handles a batch in order (one round trip for Redis). */
export interface WindowStore {
  apply(hits: readonly WindowHit[], nowMs: number): Promise<WindowOutcome[]>;
}
