// The facts a rule may test (SPEC.md "Events"), and the checks that catch misspelt fact names early.
import { closest, didYouMean } from "../shared/suggest.js";

/**
 * KNOWN_FACTS lists every fact name a rule may use in `when`, `group_by` and `threshold.distinct`,
 * in the order the docs show them. Names ending in `.*` accept anything below that prefix.
 */
export const KNOWN_FACTS: readonly string[] = Object.freeze([
  "id",
  "source",
  "kind",
  "code",
  "title",
  "message",
  "details",
  "href",
  "status",
  "waba_id",
  "phone_number_id",
  "display_phone_number",
  "recipient_id",
  "recipient_user_id",
  "recipient_parent_user_id",
  "recipient",
  "recipient_type",
  "recipient_participant_id",
  "recipient_participant_user_id",
  "recipient_participant_parent_user_id",
  "message_id",
  "timestamp",
  "pricing.category",
  "pricing.billable",
  "pricing.pricing_model",
  "pricing.type",
  "conversation.*",
  "biz_opaque_callback_data",
  "event",
  "decision",
  "reason",
  "requested_name",
  "template.id",
  "template.name",
  "template.language",
  "template.category",
  "template.previous_category",
  "template.correct_category",
  "template.reason",
  "template.pause",
  "rejection.reason",
  "rejection.recommendation",
  "quality.previous",
  "quality.new",
  "ban.state",
  "ban.date",
  "violation.type",
  "restriction.types",
  "restriction.expiration",
  "limit.previous",
  "limit.current",
  "limit.change",
  "alert.severity",
  "alert.type",
  "alert.status",
  "alert.description",
  "flow.id",
  "flow.status",
  "flow.previous_status",
  "flow.alert_state",
  "flow.error_rate",
  "flow.threshold",
  "flow.p90_latency",
  "flow.availability",
  "flow.error_types",
  "flow.message",
  "call.id",
  "call.direction",
  "call.duration",
  "preference.category",
  "preference.value",
  "history.phase",
  "history.chunk_order",
  "history.progress",
  "solution.id",
  "solution.status",
  "catalog.category",
  "catalog.retryable",
  "value.*",
]);

/** EXACT_FACTS are the KNOWN_FACTS without a wildcard: the names editors offer as completions. */
export const EXACT_FACTS: readonly string[] = Object.freeze(KNOWN_FACTS.filter((f) => !f.endsWith(".*")));

/** FACT_PREFIXES are the wildcard facts' prefixes (`value.`): any non-empty rest below one is a fact. */
export const FACT_PREFIXES: readonly string[] = Object.freeze(
  KNOWN_FACTS.filter((f) => f.endsWith(".*")).map((f) => f.slice(0, -1)),
);

const EXACT = new Set(EXACT_FACTS);
const PREFIXES = FACT_PREFIXES;

const PREFIX_ROOTS = PREFIXES.map((p) => p.slice(0, -1));

/** FACT_NAME_PATTERN is the shape of a dotted fact name: `template.name`, `value.errors[0].code`. */
export const FACT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+|\[\d+\])*$/;

/** isKnownFact says whether a dotted fact name (array indexes allowed) is one an event can carry. */
export function isKnownFact(name: string): boolean {
  if (EXACT.has(name)) return true;
  return PREFIXES.some((p) => name.startsWith(p) && name.length > p.length);
}

/** unknownFactMessage words the problem for a fact name that no event carries, with a suggestion. */
export function unknownFactMessage(name: string): string {
  if (!FACT_NAME_PATTERN.test(name)) {
    return `"${name}" is not a fact name; write a name such as code or template.name (letters, digits, _ and -, dots between parts)`;
  }
  let hint = didYouMean(name, EXACT);
  const dot = name.indexOf(".");
  if (!hint && dot > 0) {
    // "vaule.event" is most likely "value.event": suggest the wildcard root, keeping the rest.
    const root = closest(name.slice(0, dot), PREFIX_ROOTS);
    if (root !== undefined) hint = `; did you mean "${root}${name.slice(dot)}"?`;
  }
  return `unknown fact "${name}"${hint || "; facts are listed in the docs, for example code, kind, status, phone_number_id, waba_id, template.name, value.<key>"}`;
}

/**
 * ALERT_FACTS are the names a matcher (inhibitions, routes, silences, grouping) may test besides the
 * event facts: the alert's rule id and its severity.
 */
export const ALERT_FACTS: readonly string[] = Object.freeze(["rule", "severity"]);

/** isAlertFact says whether a matcher may test `name`: an alert fact or a fact events carry. */
export function isAlertFact(name: string): boolean {
  return ALERT_FACTS.includes(name) || isKnownFact(name);
}

/** unknownAlertFactMessage words the problem for a matcher name no alert carries, with a suggestion. */
export function unknownAlertFactMessage(name: string): string {
  const hint = didYouMean(name, [...ALERT_FACTS, ...EXACT_FACTS]);
  if (hint) return `unknown fact "${name}"${hint}`;
  return `${unknownFactMessage(name)}; besides event facts, matchers can test rule and severity`;
}
