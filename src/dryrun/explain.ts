// The `test --explain` report: per event, its time and clock, each candidate rule and what happened there.
import type { DryRunStep, DryRunSweep } from "./run.js";
import type { RuleTrace } from "../evaluate/trace.js";
import type { Firing, WindowOutcome } from "../evaluate/window/types.js";
import type { Rule, RuleSet } from "../rules/types.js";
import { formatDuration } from "../shared/duration.js";
import { percentText } from "../shared/percent.js";

/** ExplainedRule is what one candidate rule did with one event, in words. */
export interface ExplainedRule {
  readonly rule: string;
  readonly group?: Readonly<Record<string, string>>;
  readonly result: string;
}

/** ExplainedEvent is one event's explanation: what it is, when it happened, the clock it was counted at. */
export interface ExplainedEvent {
  readonly event_id: string;
  readonly kind: string;
  readonly code?: number;
  /** The event's time (ISO-8601); for an event without its own time, the clock's. */
  readonly time: string;
  /** The dry-run clock it was counted at: the newest event time seen so far. */
  readonly clock: string;
  readonly own_time: boolean;
  readonly rules: readonly ExplainedRule[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function shown(value: unknown): string {
  return value === undefined ? "absent" : JSON.stringify(value);
}

function windowText(rule: Rule | undefined): string {
  return rule?.threshold ? ` in ${formatDuration(rule.threshold.withinMs)}` : "";
}

/** countedText words a counted event: how far its window is from the rule's line. */
function countedText(
  t: RuleTrace,
  w: Extract<WindowOutcome, { kind: "counted" }>,
  rule: Rule | undefined,
): string {
  const th = rule?.threshold;
  if (rule?.absent) {
    const a = rule.absent;
    return w.watched
      ? `arrival: the group is watched; silence for ${formatDuration(a.forMs)} fires`
      : `arrival: ${w.count} of ${a.after} in ${formatDuration(a.withinMs)} before the group is watched for silence`;
  }
  if (th?.kind === "ratio") {
    const role = t.match.matched ? "" : " (toward of only)";
    return `counted${role}: ${shareText(w.count, w.ofCount)}${windowText(rule)}; fires above ${percentText(th.moreThan)} of at least ${th.minOf}`;
  }
  if (th?.kind === "spike") {
    if (w.learning)
      return `counted: ${w.count}${windowText(rule)}; still learning the usual count (less than ${formatDuration(th.withinMs)} of history)`;
    return `counted: ${w.count}${windowText(rule)}; usual ${round2(w.baselineCount ?? 0)}, fires above ${th.moreThan}× that from ${th.min} up`;
  }
  const need = th && "moreThan" in th ? th.moreThan + 1 : 1;
  return `counted: ${w.count} of ${need}${windowText(rule)}`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function shareText(count: number, of: number | undefined): string {
  return of ? `${count} of ${of} (${percentText(count / of)})` : `${count} of ${of ?? 0}`;
}

function firedText(f: Firing, rule: Rule | undefined): string {
  if (f.ofCount !== undefined) return shareText(f.count, f.ofCount) + windowText(rule);
  if (f.baselineCount !== undefined) return `${f.count}${windowText(rule)}, usual ${round2(f.baselineCount)}`;
  return `${f.count}${windowText(rule)}`;
}

function outcomeText(t: RuleTrace, rule: Rule | undefined): string {
  if (!t.match.matched && !t.of?.matched) {
    const failed = t.match.conditions.find((c) => !c.result);
    if (!failed) return "not matched";
    return `not matched: ${failed.fact} ${failed.operator} ${JSON.stringify(failed.value)} (actual ${shown(failed.actual)})`;
  }
  if (t.skipped) return `matched, not counted: ${t.skipped}`;
  const w = t.window;
  switch (w?.kind) {
    case undefined:
      return "matched";
    case "counted":
      return countedText(t, w, rule);
    case "fired":
      return `FIRED: ${firedText(w.firing, rule)} (alert ${t.alertId ?? "?"})`;
    case "refired":
      return `fired again with the same alert ${t.alertId ?? "?"}: this is a redelivery of the crossing event`;
    case "cooldown":
      return `over the threshold (${w.count}) but suppressed by cooldown until ${iso(w.untilMs)}`;
    case "duplicate":
      return "duplicate id: this event was already counted";
    case "late":
      return rule?.threshold
        ? `too late: more than ${formatDuration(rule.threshold.withinMs)} older than the clock, so it counts toward nothing`
        : "too late for its window";
    case "future":
      return "in the future: further ahead of the clock than rules.max_future_skew, so it counts toward nothing";
  }
}

/** explainSteps describes every dry-run step; `set` supplies the thresholds the traces refer to. */
export function explainSteps(steps: readonly DryRunStep[], set: RuleSet): ExplainedEvent[] {
  const byId = new Map(set.rules.map((r) => [r.id, r]));
  return steps.flatMap(({ evaluation, ownTime }) =>
    evaluation.trace.map((ev) => ({
      event_id: ev.eventId,
      kind: ev.kind,
      ...(ev.code !== undefined ? { code: ev.code } : {}),
      time: iso(ev.eventTimeMs),
      clock: iso(evaluation.clock.nowMs),
      own_time: ownTime,
      rules: ev.rules.map((t) => ({
        rule: t.ruleId,
        ...(t.group && Object.keys(t.group).length > 0 ? { group: t.group } : {}),
        result: outcomeText(t, byId.get(t.ruleId)),
      })),
    })),
  );
}

/** ExplainedSilence is an absence the dry run fired between events: which group, silent since when. */
export interface ExplainedSilence {
  /** How many events came before it. */
  readonly after_events: number;
  /** When the silence reached `absent.for`. */
  readonly time: string;
  /** The dry-run clock when the sweeper noticed it (the next event's, or the end of a quiet step). */
  readonly clock: string;
  readonly rule: string;
  readonly group?: Readonly<Record<string, string>>;
  readonly silent_since: string;
  readonly alert: string;
}

/** explainSweeps describes the absences the dry run fired, for `--explain`. */
export function explainSweeps(sweeps: readonly DryRunSweep[]): ExplainedSilence[] {
  return sweeps.flatMap((s) =>
    s.alerts.map(({ alert, atMs }) => ({
      after_events: s.afterEvents,
      time: iso(atMs),
      clock: iso(s.clockMs),
      rule: alert.rule.id,
      ...(Object.keys(alert.group).length > 0 ? { group: alert.group } : {}),
      silent_since: alert.silent_since ?? "",
      alert: alert.id,
    })),
  );
}

function silenceLine(s: ExplainedSilence): string {
  const noticed = s.clock !== s.time ? `  (noticed at clock ${s.clock})` : "";
  return `${s.time}  (silence)${noticed}\n  ${s.rule}${groupText(s.group)}: FIRED: no matching event since ${s.silent_since} (alert ${s.alert})`;
}

function groupText(group: Readonly<Record<string, string>> | undefined): string {
  if (!group) return "";
  return ` [${Object.entries(group)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}]`;
}

/**
 * formatExplain renders explained events as text, saying when the clock differs from an event's time;
 * absences fired between events appear where the sweeper noticed them.
 */
export function formatExplain(
  events: readonly ExplainedEvent[],
  silences: readonly ExplainedSilence[] = [],
): string {
  const lines: string[] = [];
  const silencesAfter = (n: number) => {
    for (const s of silences) if (s.after_events === n) lines.push(silenceLine(s));
  };
  for (const [i, ev] of events.entries()) {
    silencesAfter(i);
    const what = [ev.kind, ev.code].filter((x) => x !== undefined).join(" ");
    const clock = !ev.own_time
      ? `  (no time of its own: placed at the clock)`
      : ev.clock !== ev.time
        ? `  (clock ${ev.clock})`
        : "";
    lines.push(`${ev.time}  ${ev.event_id}  ${what}${clock}`);
    if (ev.rules.length === 0) lines.push("  (no rule could match this event)");
    for (const r of ev.rules) lines.push(`  ${r.rule}${groupText(r.group)}: ${r.result}`);
  }
  silencesAfter(events.length);
  if (lines.length === 0) return "";
  const header =
    "Clock: file order is arrival order; each event is counted at the newest event time seen so far.";
  return `${header}\n${lines.join("\n")}\n\n`;
}
