// What an evaluation reports besides its alerts: per-event traces for `--explain`, and counts for metrics.
import type { MatchResult } from "../rules/types.js";
import type { WindowClock, WindowOutcome, WindowOutcomeKind } from "./window/types.js";

/** RuleTrace is what one candidate rule did with one event, for `test --explain`. */
export interface RuleTrace {
  readonly ruleId: string;
  /** How the event met `when`. */
  readonly match: MatchResult;
  /** Ratio rules: how the event met `of`. */
  readonly of?: MatchResult;
  /** The alert group the event falls in (only when matched). */
  readonly group?: Record<string, string>;
  /** What the window did with the hit (only when matched and counted). */
  readonly window?: WindowOutcome;
  /** Why a matched event was not counted, e.g. it lacks the rule's `distinct` fact. */
  readonly skipped?: string;
  /** The alert this rule produced for the event, when it fired or refired. */
  readonly alertId?: string;
}

/** EventTrace records every candidate rule an event met and what came of it. */
export interface EventTrace {
  readonly eventId: string;
  readonly code?: number;
  readonly kind: string;
  /** Event time, unix ms. */
  readonly eventTimeMs: number;
  readonly rules: readonly RuleTrace[];
}

/** RuleCount is how many events met a rule as a candidate in one batch, and how many matched. */
export interface RuleCount {
  evaluated: number;
  matched: number;
}

/** OUTCOME_LABELS maps a window outcome to its `waba_alerts_window_outcomes_total` label (a redelivered crossing is a duplicate). */
export const OUTCOME_LABELS: Readonly<Record<WindowOutcomeKind, string>> = {
  counted: "counted",
  duplicate: "duplicate",
  refired: "duplicate",
  late: "late",
  future: "future",
  fired: "fired",
  cooldown: "cooldown",
};

/** WindowTally is what the windows did with one batch's hits, for metrics. */
export interface WindowTally {
  /** Hits per outcome label (OUTCOME_LABELS). */
  readonly outcomes: ReadonlyMap<string, number>;
  /** Older entries pushed out by the entry cap. */
  readonly evicted: number;
}

/** tallyOutcomes counts a batch's window outcomes by label, and the entries the cap pushed out. */
export function tallyOutcomes(outcomes: readonly WindowOutcome[]): WindowTally {
  const counts = new Map<string, number>();
  let evicted = 0;
  for (const o of outcomes) {
    const label = OUTCOME_LABELS[o.kind];
    counts.set(label, (counts.get(label) ?? 0) + 1);
    if ("evicted" in o && o.evicted) evicted += o.evicted;
  }
  return { outcomes: counts, evicted };
}

/** ClockTrace says which clock an evaluation counted on, for `--explain`. */
export type ClockTrace = WindowClock;
