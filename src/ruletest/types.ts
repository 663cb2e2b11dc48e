// The values of a rule unit-test run: parsed test cases, the alerts they expect and get, the report.
import type { Event } from "../model/event.js";
import type { Pause } from "../dryrun/run.js";
import type { Problem } from "../shared/problems.js";

/** Position is where something is written in a test file (1-based, as editors count). */
export interface Position {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** ExpectedAlert is one alert a test expects; an absent field is not compared. */
export interface ExpectedAlert {
  readonly rule: string;
  readonly group?: Readonly<Record<string, string>>;
  readonly count?: number;
  readonly ofCount?: number;
  readonly baselineCount?: number;
  /** 1-based index of the event whose evaluation fires the alert (an absence: the last event before it). */
  readonly atEvent?: number;
  /** Unix ms of the event that fires the alert (an absence: when the silence reached `for`). */
  readonly atMs?: number;
  /** True: an inhibition holds it back; false: it is sent. */
  readonly inhibited?: boolean;
  /** Every channel it reaches, sorted (none when inhibited). */
  readonly channels?: readonly string[];
  readonly where: Position;
}

/** RuleReference is one rule id a test expects an alert from, where it is written, and what the test loads. */
export interface RuleReference {
  readonly rule: string;
  /** Where the id is written (the `rule:` value). */
  readonly where: Position;
  /** Absolute paths of the rule files (or directory) the test loads. */
  readonly rulePaths: readonly string[];
}

/** ActualAlert is one alert the rules fired during a test. */
export interface ActualAlert {
  readonly rule: string;
  readonly group: Readonly<Record<string, string>>;
  readonly count: number;
  readonly ofCount?: number;
  readonly baselineCount?: number;
  readonly atEvent: number;
  readonly atMs: number;
  readonly inhibited: boolean;
  /** The rule of the firing alert that inhibits it, when inhibited. */
  readonly inhibitedBy?: string;
  /** Every channel it reaches, sorted (none when inhibited). */
  readonly channels: readonly string[];
}

/** RuleTestCase is one parsed, runnable test: the rule files, the events in run order, the expectations. */
export interface RuleTestCase {
  readonly name: string;
  readonly where: Position;
  /** Absolute paths of the rule files (or directory) the test loads. */
  readonly rulePaths: readonly string[];
  readonly startMs: number;
  readonly events: readonly Event[];
  /** Quiet spells between the events (`{ quiet: 20m }` steps). */
  readonly pauses: readonly Pause[];
  readonly expected: readonly ExpectedAlert[];
}

/** RuleTestResult is the outcome of one test; `diff` is empty when it passed. */
export interface RuleTestResult {
  readonly name: string;
  readonly where: Position;
  readonly passed: boolean;
  readonly startMs: number;
  readonly events: number;
  readonly expected: readonly ExpectedAlert[];
  readonly actual: readonly ActualAlert[];
  /** How many events each rule matched, by rule id (a rule that matched but did not fire is a silent case). */
  readonly matched: Readonly<Record<string, number>>;
  /** Readable lines: context, `-` expected but missing, `+` fired but not expected, notes. */
  readonly diff: readonly string[];
}

/** RuleTestReport is a whole run: every test's result and every problem that kept a file or test from running. */
export interface RuleTestReport {
  /** Test files found, as displayed. */
  readonly files: readonly string[];
  readonly results: readonly RuleTestResult[];
  /** Invalid test files, missing paths and rule files that failed to load, positioned. */
  readonly problems: readonly Problem[];
  readonly passed: number;
  readonly failed: number;
  /** True when every test passed and nothing was invalid: exit code 0. */
  readonly ok: boolean;
}
