// Checks a rule's `threshold:` (count, distinct, ratio or spike) and `absent:` blocks and compiles them.
import { formatDuration } from "../shared/duration.js";
import type { Problem } from "../shared/problems.js";
import type { PathSegment, YamlSource } from "../shared/yaml-source.js";
import { requiredValues } from "./pins.js";
import { baselineResolutionFor, resolutionFor } from "./resolution.js";
import type { RuleDoc } from "./schema.js";
import type { Absent, Threshold } from "./types.js";
import { validateWhen } from "./validate-when.js";
import type { ConditionNode } from "./types.js";

/** Checks is what the threshold checks need from the rule checker: positioned reports and durations. */
export interface Checks {
  readonly source: YamlSource;
  readonly problems: Problem[];
  report(path: readonly PathSegment[], message: string, atKey?: boolean): undefined;
  duration(value: unknown, path: PathSegment[], min: number): number | undefined;
  fact(name: unknown, path: PathSegment[]): void;
}

type ThresholdDoc = NonNullable<RuleDoc["threshold"]>;
type AbsentDoc = NonNullable<RuleDoc["absent"]>;

const KINDS = ["more_than", "ratio", "spike"] as const;

function label(path: readonly PathSegment[]): string {
  return `"${path.join(".")}"`;
}

/** shareProblem words a ratio that is not a share, guessing the percentage the author meant. */
function shareProblem(path: readonly PathSegment[], value: unknown): string {
  const base = `${label(path)} is a share between 0 and 1, for example 0.05 for 5 %`;
  if (typeof value !== "number") return `${base} (got ${JSON.stringify(value)})`;
  if (value >= 1 && value < 100) return `${base}; did you mean ${value / 100} (${value} %)?`;
  return `${base} (got ${value})`;
}

/**
 * ofProblems reports a ratio `of` that can never count an event `when` counts: no code (or kind) satisfies
 * `of` at all, or `when` and `of` pin disjoint codes (or kinds). Such a ratio would never mean "a share of".
 */
function ofProblems(c: Checks, when: ConditionNode, of: ConditionNode, path: PathSegment[]): void {
  for (const fact of ["code", "kind"]) {
    const ofValues = requiredValues(of, fact);
    if (!ofValues) continue;
    const show = (values: ReadonlySet<unknown>) => JSON.stringify([...values]);
    if (ofValues.size === 0) {
      c.report(path, `${label(path)} can never match: no ${fact} satisfies all of its conditions`);
      return;
    }
    const whenValues = requiredValues(when, fact);
    if (whenValues && ![...whenValues].some((v) => ofValues.has(v))) {
      c.report(
        path,
        `${label(path)} never matches the events \`when\` counts: when needs ${fact} in ${show(whenValues)}, of needs ${fact} in ${show(ofValues)}; make of cover them, for example of: { kind: [status, status_error] } for all statuses`,
      );
      return;
    }
  }
}

/** kindOf finds which of more_than / ratio / spike a threshold uses, reporting none or several. */
function kindOf(c: Checks, t: ThresholdDoc, at: PathSegment[]): (typeof KINDS)[number] | undefined {
  const given = KINDS.filter((k) => t[k] !== undefined);
  if (given.length === 1) return given[0];
  if (given.length === 0) {
    return c.report(
      at,
      `${label(at)} needs what to fire on: more_than: N (a count), ratio: { more_than: 0.05, of: … } (a share of other events) or spike: { more_than: 3, baseline: 24h } (a jump over the usual count)`,
    );
  }
  return c.report(
    [...at, given[1] as string],
    `${label(at)} has both ${given[0]} and ${given[1]}; a threshold fires on one of them, so keep one (or write two rules)`,
    true,
  );
}

/** extrasProblems reports keys that belong to another kind of threshold. */
function extrasProblems(c: Checks, t: ThresholdDoc, at: PathSegment[], kind: string | undefined): void {
  if (t.distinct !== undefined && (kind === "ratio" || kind === "spike")) {
    c.report(
      [...at, "distinct"],
      `distinct counts values, which ${kind} rules do not; drop distinct, or drop ${kind} and fire on more_than distinct values`,
      true,
    );
  }
  if (t.min_of !== undefined && kind !== "ratio") {
    c.report(
      [...at, "min_of"],
      "min_of belongs to ratio rules (the fewest events matching `of` before the share counts); drop it or use ratio",
      true,
    );
  }
  if (t.min !== undefined && kind !== "spike") {
    c.report(
      [...at, "min"],
      "min belongs to spike rules (the smallest count that may fire); drop it or use spike",
      true,
    );
  }
}

/**
 * checkThreshold checks one rule's `threshold:` at `at` (its `when` already normalized, when valid) and
 * returns the compiled threshold, or undefined after reporting every problem.
 */
export function checkThreshold(
  c: Checks,
  t: ThresholdDoc,
  at: PathSegment[],
  when: ConditionNode | undefined,
): Threshold | undefined {
  const before = c.problems.length;
  c.fact(t.distinct, [...at, "distinct"]);
  const withinMs = c.duration(t.within, [...at, "within"], 1);
  const kind = kindOf(c, t, at);
  extrasProblems(c, t, at, kind);
  if (kind === "ratio" && t.ratio && typeof t.ratio === "object") {
    const path = [...at, "ratio"];
    const share = t.ratio.more_than;
    const shareOk = typeof share === "number" && share >= 0 && share < 1;
    // A missing more_than is the schema's to report.
    if (!shareOk && share !== undefined)
      c.report([...path, "more_than"], shareProblem([...path, "more_than"], share));
    const checked =
      t.ratio.of === undefined ? undefined : validateWhen(c.source, t.ratio.of, [...path, "of"]);
    c.problems.push(...(checked?.problems ?? []));
    if (checked?.when && when) ofProblems(c, when, checked.when, [...path, "of"]);
    if (c.problems.length > before || withinMs === undefined || !checked?.when) return undefined;
    return {
      kind: "ratio",
      withinMs,
      moreThan: share as number,
      of: checked.when,
      minOf: t.min_of ?? 1,
      resolutionMs: resolutionFor(withinMs),
    };
  }
  if (kind === "spike" && t.spike && typeof t.spike === "object") {
    const path = [...at, "spike", "baseline"];
    const baselineMs = c.duration(t.spike.baseline, path, 1);
    if (baselineMs !== undefined && withinMs !== undefined && baselineMs <= withinMs) {
      c.report(
        path,
        `${label(path)} (${formatDuration(baselineMs)}) must be longer than within (${formatDuration(withinMs)}): the usual count is averaged over the time before the window, for example baseline: 24h`,
      );
    }
    if (c.problems.length > before || withinMs === undefined || baselineMs === undefined) return undefined;
    const resolutionMs = resolutionFor(withinMs);
    return {
      kind: "spike",
      withinMs,
      moreThan: t.spike.more_than,
      baselineMs,
      min: t.min ?? 1,
      resolutionMs,
      baselineResolutionMs: baselineResolutionFor(baselineMs, resolutionMs),
    };
  }
  if (c.problems.length > before || withinMs === undefined || kind !== "more_than") return undefined;
  const moreThan = t.more_than as number;
  return t.distinct
    ? { kind: "distinct", moreThan, withinMs, distinct: t.distinct }
    : { kind: "count", moreThan, withinMs };
}

/** checkAbsent checks one rule's `absent:` at `at` (a rule with no threshold) and compiles it. */
export function checkAbsent(c: Checks, a: AbsentDoc, at: PathSegment[]): Absent | undefined {
  const forMs = c.duration(a.for, [...at, "for"], 1);
  const withinMs = c.duration(a.within, [...at, "within"], 1);
  if (forMs === undefined || withinMs === undefined || typeof a.after !== "number") return undefined;
  return { forMs, after: a.after, withinMs, resolutionMs: resolutionFor(withinMs) };
}
