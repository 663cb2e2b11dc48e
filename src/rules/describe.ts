// Words for what a rule fires on, shared by `test --explain` and the rule-test diagnostics.
import { formatDuration } from "../shared/duration.js";
import { percentText } from "../shared/percent.js";
import type { Rule } from "./types.js";

/** describeLine says in one phrase what makes a rule fire, e.g. "more than 5 within 10m". */
export function describeLine(rule: Rule): string {
  const t = rule.threshold;
  if (rule.absent) {
    const a = rule.absent;
    return `a group that had at least ${a.after} within ${formatDuration(a.withinMs)} sending none for ${formatDuration(a.forMs)}`;
  }
  if (!t) return "every matching event";
  const within = formatDuration(t.withinMs);
  switch (t.kind) {
    case "count":
      return `more than ${t.moreThan} within ${within}`;
    case "distinct":
      return `more than ${t.moreThan} distinct ${t.distinct} within ${within}`;
    case "ratio":
      return `more than ${percentText(t.moreThan)} of the events matching of within ${within}, with at least ${t.minOf} of them`;
    case "spike":
      return `more than ${t.moreThan}× the usual count per ${within} (averaged over ${formatDuration(t.baselineMs)}), from ${t.min} up`;
  }
}
