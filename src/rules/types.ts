// The compiled rule and rule set: what the rules stage hands to the evaluate stage.
import type { Event } from "../ingest/event.js";
import type { Problem } from "../shared/problems.js";
import type { RuleSpec } from "./validate.js";

/** Threshold is a compiled `threshold:` block. */
export interface Threshold {
  readonly moreThan: number;
  readonly withinMs: number;
  /** Dotted fact whose distinct values are counted instead of events. */
  readonly distinct?: string;
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
