// The compiled rule and rule set: what the rules stage hands to the evaluate stage.
import type { Event } from "../model/event.js";
import type { Problem } from "../shared/problems.js";
import type { Severity } from "../model/alert.js";
import type { Operator } from "./when-schema.js";

/** CountThreshold fires when more than `moreThan` matching events fall inside the trailing window. */
export interface CountThreshold {
  readonly kind: "count";
  readonly moreThan: number;
  readonly withinMs: number;
}

/** DistinctThreshold fires when more than `moreThan` distinct values of a fact fall inside the window. */
export interface DistinctThreshold {
  readonly kind: "distinct";
  readonly moreThan: number;
  readonly withinMs: number;
  /** Dotted fact whose distinct values are counted instead of events. */
  readonly distinct: string;
}

/**
 * RatioThreshold fires when events matching `when` / events matching `of` (same group, same window)
 * exceeds `moreThan` while at least `minOf` events match `of`. Counted in time buckets of `resolutionMs`.
 */
export interface RatioThreshold {
  readonly kind: "ratio";
  readonly withinMs: number;
  /** A share, 0 ≤ moreThan < 1 (0.05 = 5 %). */
  readonly moreThan: number;
  readonly of: ConditionNode;
  readonly minOf: number;
  /** Counter bucket size: the window is the newest `withinMs / resolutionMs` buckets. */
  readonly resolutionMs: number;
}

/**
 * SpikeThreshold fires when the count in the trailing window exceeds `moreThan` × the average count per
 * window over the preceding `baselineMs`, and is at least `min`.
 */
export interface SpikeThreshold {
  readonly kind: "spike";
  readonly withinMs: number;
  /** A factor, at least 1 (3 = three times the usual count). */
  readonly moreThan: number;
  readonly baselineMs: number;
  readonly min: number;
  readonly resolutionMs: number;
  /** Bucket size of the baseline's (coarser) counters, a multiple of resolutionMs. */
  readonly baselineResolutionMs: number;
}

/** Threshold is a compiled `threshold:` block, by kind. */
export type Threshold = CountThreshold | DistinctThreshold | RatioThreshold | SpikeThreshold;

/**
 * Absent is a compiled `absent:` block: a group that had at least `after` matching arrivals within
 * `withinMs` and then none for `forMs` (arrival clock) fires.
 */
export interface Absent {
  readonly forMs: number;
  readonly after: number;
  readonly withinMs: number;
  /** Bucket size of the arrival counters that decide whether a group qualifies. */
  readonly resolutionMs: number;
}

/** ConditionTrace is why one leaf condition passed or failed, for `test --explain`. */
export interface ConditionTrace {
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
  readonly actual: unknown;
  readonly result: boolean;
}

/** MatchResult is the outcome of testing one event against one rule's `when`. */
export interface MatchResult {
  readonly matched: boolean;
  /** The leaf conditions evaluated, in order (failed ones explain a non-match). */
  readonly conditions: readonly ConditionTrace[];
}

/** Rule is one validated, compiled, frozen rule: its RuleSpec with `when` turned into matchers. */
export interface Rule extends Omit<RuleSpec, "when"> {
  /**
   * State key: the id plus a hash of `when`, `group_by` and `threshold`, so an edit that changes
   * what is counted starts fresh windows while other edits keep them.
   */
  readonly stateKey: string;
  /** match tests an event (with catalog facts already set) against `when` using json-rules-engine. */
  match(event: Event): Promise<MatchResult>;
  /**
   * The one error code `when` requires, when it pins exactly one: the code (and catalog entry) of alerts
   * that do not come from one matching event (ratio crossings on an `of` event, absences).
   */
  readonly pinnedCode?: number;
  /** matchOf tests an event against a ratio rule's `threshold.ratio.of` (ratio rules only). */
  matchOf?(event: Event): Promise<MatchResult>;
}

/**
 * Matchers are a shorthand map on an alert's facts (rule id, severity, group and event facts): every
 * name must hold one of its values, compared as text (`waba_id: 123` matches "123").
 */
export type Matchers = Readonly<Record<string, readonly string[]>>;

/**
 * Inhibition is one `inhibit:` entry: while an alert matching `source` fires, alerts matching `target`
 * whose `equal` facts have the same values are recorded as inhibited instead of being sent.
 */
export interface Inhibition {
  readonly source: Matchers;
  readonly target: Matchers;
  readonly equal: readonly string[];
  /** Where the entry is written, for messages. */
  readonly at: { readonly file: string; readonly line: number; readonly col: number };
}

/** RuleSet is every enabled rule of one load, indexed so an event meets only rules that could fire. */
export interface RuleSet {
  readonly rules: readonly Rule[];
  /** Every `inhibit:` entry of the rule files, in file order. */
  readonly inhibitions: readonly Inhibition[];
  /** candidates returns the rules whose `when` could match this event (by code and kind), in file order. */
  candidates(event: Event): readonly Rule[];
  /** Files that were read, for watching. */
  readonly files: readonly string[];
}

/** RuleLoadResult is a load attempt: a rule set when every file is valid, else the problems. */
export type RuleLoadResult =
  | { readonly ok: true; readonly set: RuleSet }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** LeafCondition is one normalized comparison; `fact` is dotted (`template.name`), never with a path. */
export interface LeafCondition {
  readonly fact: string;
  readonly operator: Operator;
  /** A literal, or `{ fact }` to compare with another fact. */
  readonly value: unknown;
}

/** ConditionNode is a normalized `when`: shorthand maps become `all` of leaves, paths fold into facts. */
export type ConditionNode =
  | LeafCondition
  | { readonly all: readonly ConditionNode[] }
  | { readonly any: readonly ConditionNode[] }
  | { readonly not: ConditionNode };

/** RuleDefaults are the config's `defaults` that fill a rule's missing severity, cooldown and notify. */
export interface RuleDefaults {
  readonly notify: readonly string[];
  readonly cooldown: string;
  readonly severity: Severity;
}

/** RuleContext is what validation needs from the config: channel names and defaults. */
export interface RuleContext {
  readonly channels: readonly string[];
  readonly defaults: RuleDefaults;
}

/** RuleSpec is one valid rule with every default applied, ready to compile. */
export interface RuleSpec {
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  readonly when: ConditionNode;
  readonly groupBy: readonly string[];
  readonly threshold?: Threshold;
  readonly absent?: Absent;
  readonly cooldownMs: number;
  readonly resolveAfterMs: number;
  readonly notify: readonly string[];
  readonly actions: readonly string[];
  readonly enabled: boolean;
  readonly source: { readonly file: string; readonly line: number; readonly col: number };
}
