// The `test --explain` report: per event, each candidate rule and what happened to the event there.
import type { Evaluation, RuleTrace } from "../evaluate/evaluator.js";
import type { Rule, RuleSet } from "../rules/types.js";
import { formatDuration } from "../shared/duration.js";

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function shown(value: unknown): string {
  return value === undefined ? "absent" : JSON.stringify(value);
}

function groupText(group: Record<string, string> | undefined): string {
  if (!group || Object.keys(group).length === 0) return "";
  return ` [${Object.entries(group)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}]`;
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
        ? `too late: more than ${formatDuration(rule.threshold.withinMs)} old when it arrived, so it counts toward nothing`
        : "too late for its window";
  }
}

/** formatExplain renders every event's trace; `set` supplies the thresholds the trace refers to. */
export function formatExplain(
  runs: ReadonlyArray<{ evaluation: Evaluation; nowMs: number }>,
  set: RuleSet,
): string {
  const byId = new Map(set.rules.map((r) => [r.id, r]));
  const lines: string[] = [];
  for (const { evaluation } of runs) {
    for (const ev of evaluation.trace) {
      const what = [ev.kind, ev.code].filter((x) => x !== undefined).join(" ");
      lines.push(`${iso(ev.eventTimeMs)}  ${ev.eventId}  ${what}`);
      if (ev.rules.length === 0) lines.push("  (no rule could match this event)");
      for (const t of ev.rules) {
        const rule = byId.get(t.ruleId);
        lines.push(`  ${t.ruleId}${groupText(t.group)}: ${outcomeText(t, rule)}`);
      }
    }
  }
  return lines.length ? `${lines.join("\n")}\n\n` : "";
}
