// The facts of an alert that matchers test (silences, inhibitions, routes, grouping), and the one way they match.
import type { Alert } from "../model/alert.js";
import type { Matchers } from "../rules/types.js";
import { sameFact } from "../shared/mask.js";

/** AlertFacts are an alert's matchable values by name, all as text. */
export type AlertFacts = Readonly<Record<string, string>>;

/**
 * alertFacts are the values a matcher can test, as text: the crossing event's facts (when the alert
 * carries them), where it happened, the group values, the code, then the rule id and severity. A later
 * source wins a name clash, so `rule` is always the rule's id.
 */
export function alertFacts(alert: Alert): AlertFacts {
  const facts: Record<string, string> = {};
  for (const [k, v] of Object.entries(alert.facts ?? {})) facts[k] = String(v);
  for (const [k, v] of Object.entries(alert.where)) if (v !== undefined) facts[k] = String(v);
  for (const [k, v] of Object.entries(alert.group)) facts[k] = v;
  if (alert.code !== undefined) facts.code = String(alert.code);
  facts.rule = alert.rule.id;
  facts.severity = alert.rule.severity;
  return facts;
}

/**
 * matchesAll says whether every matcher name holds one of its values in `facts` (a missing fact never
 * matches); a customer's number matches written in full or masked (sameFact).
 */
export function matchesAll(matchers: Matchers, facts: AlertFacts): boolean {
  for (const [name, values] of Object.entries(matchers)) {
    const actual = facts[name];
    if (!values.some((v) => sameFact(name, actual, v))) return false;
  }
  return true;
}

/** sameValues says whether every name in `equal` has one value, present on both sides. */
export function sameValues(equal: readonly string[], a: AlertFacts, b: AlertFacts): boolean {
  return equal.every((name) => a[name] !== undefined && a[name] === b[name]);
}
