// The `test --explain` report: per event, its time and clock, each candidate rule and what happened there.
import type { DryRunStep } from "../dryrun/run.js";
import type { RuleTrace } from "../evaluate/trace.js";
import type { Rule, RuleSet } from "../rules/types.js";
import { formatDuration } from "../shared/duration.js";

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

function outcomeText(t: RuleTrace, rule: Rule | undefined): string {
  if (!t.match.matched) {
    const failed = t.match.conditions.find((c) => !c.result);
    if (!failed) return "not matched";
    return `not matched: ${failed.fact} ${failed.operator} ${JSON.stringify(failed.value)} (actual ${shown(failed.actual)})`;
  }
  if (t.skipped) return `matched, not counted: ${t.skipped}`;
  const w = t.window;
  const need = rule?.threshold ? rule.threshold.moreThan + 1 : 1;
  switch (w?.kind) {
    case undefined:
      return "matched";
    case "counted":
      return `counted: ${w.count} of ${need}${windowText(rule)}`;
    case "fired":
      return `FIRED: ${w.firing.count}${windowText(rule)} (alert ${t.alertId ?? "?"})`;
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

function groupText(group: Readonly<Record<string, string>> | undefined): string {
  if (!group) return "";
  return ` [${Object.entries(group)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}]`;
}

/** formatExplain renders explained events as text, saying when the clock differs from an event's time. */
export function formatExplain(events: readonly ExplainedEvent[]): string {
  const lines: string[] = [];
  for (const ev of events) {
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
  if (lines.length === 0) return "";
  const header =
    "Clock: file order is arrival order; each event is counted at the newest event time seen so far.";
  return `${header}\n${lines.join("\n")}\n\n`;
}
