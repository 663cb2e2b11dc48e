// What one matched event becomes for its rule: a count-window hit, a bucket hit (ratio, spike) or an arrival (absent).
import type { Event } from "../model/event.js";
import type { Rule, Threshold } from "../rules/types.js";
import type { AbsenceContext, AbsentRuleRef } from "./absence/types.js";
import { sampleOf } from "./alert-builder.js";
import { digest, factText, factValue, fingerprint, groupKey, groupOf, groupText, windowKey } from "./facts.js";
import type { RuleTrace } from "./trace.js";
import type { BucketHit, BucketLine, WindowHit, WindowProbe } from "./window/types.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** HitSettings are the evaluator settings every hit carries. */
export interface HitSettings {
  readonly maxSamples: number;
  readonly maskPhoneNumbers: boolean;
  readonly maxEntries: number;
}

/** Verdict is how one event met one rule: matched `when` (counts) and, for ratio rules, `of`. */
export interface Verdict {
  readonly when: boolean;
  readonly of: boolean;
}

/** Matched is one (rule, event) pair that matched, placed in its group. */
export interface Matched {
  readonly rule: Rule;
  readonly event: Event;
  /** The group's values as text (groupText): alert ids and fingerprints derive from it; never stored. */
  readonly groupText: string;
  /** The hash of groupText that names the group in Redis keys. */
  readonly groupKey: string;
  /** The group as alerts show it (customer numbers masked when masking is on). */
  readonly group: Record<string, string>;
  readonly trace: Mutable<RuleTrace>;
}

/** Pending is a matched pair waiting for its store's reply. */
export type Pending = Matched &
  (
    | { readonly store: "window"; readonly hit: WindowHit }
    | { readonly store: "bucket"; readonly hit: BucketHit }
  );

const lines = new WeakMap<Threshold, BucketLine>();

/** lineOf is the firing line of a ratio or spike threshold (one object per threshold, not per event). */
export function lineOf(t: Extract<Threshold, { kind: "ratio" | "spike" }>): BucketLine {
  const known = lines.get(t);
  if (known) return known;
  const line: BucketLine =
    t.kind === "ratio"
      ? { kind: "ratio", moreThan: t.moreThan, minOf: t.minOf }
      : {
          kind: "spike",
          moreThan: t.moreThan,
          min: t.min,
          baselineMs: t.baselineMs,
          baselineResolutionMs: t.baselineResolutionMs,
        };
  lines.set(t, line);
  return line;
}

/** matchedPair places a matched event in its rule's group, recording the (shown) group in the trace. */
export function matchedPair(rule: Rule, event: Event, trace: Mutable<RuleTrace>, mask: boolean): Matched {
  const group = groupOf(event, rule.groupBy, mask);
  trace.group = group;
  const text = groupText(event, rule.groupBy);
  return { rule, event, groupText: text, groupKey: groupKey(text), group, trace };
}

/**
 * pendingFor turns a matched pair of a counting rule into its store hit; undefined when it cannot count.
 * Objects are written out field by field: on the hot path (every status meets a ratio rule's `of`) object
 * spreads cost several microseconds each.
 */
export function pendingFor(m: Matched, verdict: Verdict, timeMs: number, s: HitSettings): Pending | undefined {
  const { rule, event } = m;
  const t = rule.threshold;
  const key = windowKey(rule.stateKey, m.groupKey);
  if (t?.kind === "ratio" || t?.kind === "spike") {
    const hit: BucketHit = {
      ruleKey: rule.stateKey,
      key,
      eventId: event.id,
      eventTimeMs: timeMs,
      windowMs: t.withinMs,
      resolutionMs: t.resolutionMs,
      line: lineOf(t),
      counts: verdict.when,
      ofCounts: verdict.of,
      cooldownMs: rule.cooldownMs,
      resolveAfterMs: rule.resolveAfterMs,
      // Only counted events are ever shown, so the others skip building a sample.
      sample: verdict.when ? sampleOf(event, timeMs, s.maskPhoneNumbers) : "",
      maxSamples: s.maxSamples,
    };
    return { rule, event, groupText: m.groupText, groupKey: m.groupKey, group: m.group, trace: m.trace, store: "bucket", hit };
  }
  let distinctValue: string | undefined;
  if (t?.kind === "distinct") {
    const value = factText(factValue(event, t.distinct));
    // An event without the fact adds no distinct value, so it cannot move the count.
    if (value === undefined) {
      m.trace.skipped = `no value for distinct fact ${t.distinct}`;
      return undefined;
    }
    // Counted by hash: distinct values are often customers' numbers, which the window must not store.
    distinctValue = digest(value);
  }
  const hit: WindowHit = {
    key,
    eventId: event.id,
    eventTimeMs: timeMs,
    windowMs: t ? t.withinMs : 0,
    moreThan: t ? t.moreThan : 0,
    cooldownMs: rule.cooldownMs,
    resolveAfterMs: rule.resolveAfterMs,
    ...(distinctValue !== undefined ? { distinctValue } : {}),
    sample: sampleOf(event, timeMs, s.maskPhoneNumbers),
    maxSamples: s.maxSamples,
    maxEntries: s.maxEntries,
  };
  return { rule, event, groupText: m.groupText, groupKey: m.groupKey, group: m.group, trace: m.trace, store: "window", hit };
}

/** probeOf says how the resolver reads the window a pending hit counted in. */
export function probeOf(p: Pending): WindowProbe {
  if (p.store === "bucket") {
    const { key, windowMs, resolutionMs, line } = p.hit;
    return { kind: "bucket", key, windowMs, resolutionMs, line };
  }
  const { key, windowMs, moreThan, distinctValue } = p.hit;
  return { kind: "count", key, windowMs, moreThan, distinct: distinctValue !== undefined };
}

/** absentRef is what the absence store needs of an absent rule. */
export function absentRef(rule: Rule): AbsentRuleRef | undefined {
  const a = rule.absent;
  if (!a) return undefined;
  return {
    key: rule.stateKey,
    forMs: a.forMs,
    after: a.after,
    withinMs: a.withinMs,
    resolutionMs: a.resolutionMs,
  };
}

/** contextOf is what an absence alert will show about a group, from its newest matching event. */
export function contextOf(m: Matched, timeMs: number, maskPhoneNumbers: boolean): string {
  const { event } = m;
  const where: AbsenceContext["where"] = {};
  if (event.waba_id !== undefined) where.waba_id = event.waba_id;
  if (event.phone_number_id !== undefined) where.phone_number_id = event.phone_number_id;
  if (event.display_phone_number !== undefined) where.display_phone_number = event.display_phone_number;
  const context: AbsenceContext = {
    group: m.group,
    where,
    eventMs: timeMs,
    sample: sampleOf(event, timeMs, maskPhoneNumbers),
    fingerprint: fingerprint(m.rule.id, m.groupText),
  };
  return JSON.stringify(context);
}
