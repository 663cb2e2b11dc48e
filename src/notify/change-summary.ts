// What an account-level alert is about, in words: a one-line summary for subjects and labelled rows for bodies.
import type { Alert } from "../model/alert.js";
import { maskIfPhone } from "../shared/mask.js";

type Facts = NonNullable<Alert["facts"]>;

/** MESSAGE_KINDS are the kinds of per-message events; every other kind is a change of the account, a number or a template. */
const MESSAGE_KINDS = new Set(["status", "status_error", "system_error", "message_error", "generic"]);

/** changeFacts is the alert's facts when it is about an account-level change (a webhook field other than messages). */
export function changeFacts(alert: Alert): Facts | undefined {
  const kind = alert.facts?.kind;
  return typeof kind === "string" && !MESSAGE_KINDS.has(kind) ? alert.facts : undefined;
}

const text = (facts: Facts, name: string): string | undefined => {
  const v = facts[name];
  return v === undefined || v === "" ? undefined : String(v);
};

/** labelled puts a label before a value that exists: `quality GREEN → RED`. */
const labelled = (label: string, value: string | undefined) =>
  value === undefined ? undefined : `${label} ${value}`;

/** arrow joins a before and after value: `GREEN → RED`, or just the one that is known. */
function arrow(before: string | undefined, after: string | undefined): string | undefined {
  if (before !== undefined && after !== undefined) return `${before} → ${after}`;
  return after ?? (before === undefined ? undefined : `${before} → ?`);
}

const PAUSES: Readonly<Record<string, string>> = {
  FIRST_PAUSE: "first pause, 3 h",
  SECOND_PAUSE: "second pause, 6 h",
  RATE_LIMITING_PAUSE: "rate-limiting pause",
};

/** templateName is `name (language)`, or the template id when Meta sent no name. */
function templateName(facts: Facts): string | undefined {
  const name = text(facts, "template.name") ?? text(facts, "template.id");
  if (name === undefined) return undefined;
  const language = text(facts, "template.language");
  return `${name}${language ? ` (${language})` : ""}`;
}

const template = (facts: Facts) => labelled("template", templateName(facts));

function joined(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined && p !== "");
  return kept.length > 0 ? kept.join(", ") : undefined;
}

type Summarize = (facts: Facts) => string | undefined;

const SUMMARIES: Readonly<Record<string, Summarize>> = {
  message_template_status_update: (f) => {
    const reason = text(f, "reason");
    const pause = text(f, "template.pause");
    return joined(
      [template(f), text(f, "event")].filter(Boolean).join(" "),
      reason && reason !== "NONE" ? `reason ${reason}` : undefined,
      pause ? (PAUSES[pause] ?? pause) : undefined,
    );
  },
  message_template_quality_update: (f) =>
    joined(template(f), labelled("quality", arrow(text(f, "quality.previous"), text(f, "quality.new")))),
  template_category_update: (f) => {
    const coming = text(f, "template.correct_category");
    const change = coming
      ? `category ${text(f, "template.category") ?? "?"} → ${coming} in 24 h`
      : `category ${arrow(text(f, "template.previous_category"), text(f, "template.category")) ?? "changed"}`;
    return joined(template(f), change);
  },
  message_template_components_update: (f) => joined(template(f), "edited"),
  account_update: (f) =>
    joined(
      text(f, "event"),
      labelled("ban state", text(f, "ban.state")),
      labelled("violation", text(f, "violation.type")),
      text(f, "restriction.types"),
    ),
  phone_number_quality_update: (f) =>
    joined(text(f, "event"), labelled("limit", arrow(text(f, "limit.previous"), text(f, "limit.current")))),
  business_capability_update: (f) => labelled("limit", text(f, "limit.current")),
  account_alerts: (f) => joined(text(f, "alert.severity"), text(f, "alert.type")),
  flows: (f) => {
    const rate = text(f, "flow.error_rate");
    const threshold = text(f, "flow.threshold");
    return joined(
      text(f, "event"),
      labelled("flow", text(f, "flow.id")),
      arrow(text(f, "flow.previous_status"), text(f, "flow.status")),
      rate && `error rate ${rate}%${threshold ? ` (threshold ${threshold}%)` : ""}`,
      text(f, "flow.alert_state"),
    );
  },
};

function decisionSummary(f: Facts): string | undefined {
  const name = text(f, "requested_name");
  return joined(
    [name ? `"${name}"` : undefined, text(f, "decision")].filter(Boolean).join(" "),
    text(f, "reason"),
  );
}

/**
 * changeSummary is the few words that say what changed, for the subject line: `template promo (es)
 * PAUSED, first pause, 3 h`, `DISABLED_UPDATE, ban state REINSTATE`, `quality GREEN → RED`.
 */
export function changeSummary(alert: Alert): string | undefined {
  const facts = changeFacts(alert);
  if (!facts) return undefined;
  const kind = String(facts.kind);
  const own = Object.hasOwn(SUMMARIES, kind) ? SUMMARIES[kind]?.(facts) : undefined;
  return own || (text(facts, "decision") ? decisionSummary(facts) : text(facts, "event"));
}

/** ROWS label the facts a person reads in an account-level alert, in reading order; pairs read as before → after. */
const ROWS: readonly [string, (f: Facts) => string | undefined][] = [
  ["Webhook field", (f) => text(f, "kind")],
  ["Event", (f) => text(f, "event")],
  ["Decision", (f) => text(f, "decision")],
  ["Requested name", (f) => text(f, "requested_name")],
  ["Reason", (f) => text(f, "reason")],
  ["Template", (f) => joined(templateName(f), labelled("id", text(f, "template.id")))],
  ["Category", (f) => arrow(text(f, "template.previous_category"), text(f, "template.category"))],
  ["Coming category", (f) => text(f, "template.correct_category")],
  ["Pause", (f) => text(f, "template.pause")],
  ["Quality", (f) => arrow(text(f, "quality.previous"), text(f, "quality.new"))],
  ["Rejection", (f) => joined(text(f, "rejection.reason"), text(f, "rejection.recommendation"))],
  ["Ban state", (f) => joined(text(f, "ban.state"), text(f, "ban.date"))],
  ["Violation", (f) => text(f, "violation.type")],
  ["Restrictions", (f) => text(f, "restriction.types")],
  ["Restricted until", (f) => epoch(f, "restriction.expiration")],
  [
    "Messaging limit",
    (f) => joined(arrow(text(f, "limit.previous"), text(f, "limit.current")), text(f, "limit.change")),
  ],
  ["Meta's alert", (f) => joined(text(f, "alert.severity"), text(f, "alert.type"), text(f, "alert.status"))],
  ["Meta says", (f) => text(f, "alert.description") ?? text(f, "flow.message")],
  ["Flow", (f) => text(f, "flow.id")],
  ["Flow status", (f) => arrow(text(f, "flow.previous_status"), text(f, "flow.status"))],
  ["Flow alert", (f) => text(f, "flow.alert_state")],
  ["Error rate", (f) => percent(f, "flow.error_rate", "flow.threshold")],
  ["Error types", (f) => text(f, "flow.error_types")],
  ["Latency p90", (f) => text(f, "flow.p90_latency") && `${text(f, "flow.p90_latency")} ms`],
  ["Availability", (f) => percent(f, "flow.availability", "flow.threshold")],
  [
    "Call",
    (f) =>
      joined(
        text(f, "call.id"),
        text(f, "call.direction"),
        text(f, "call.duration") && `${text(f, "call.duration")} s`,
      ),
  ],
  ["Status", (f) => text(f, "status")],
  ["User", (f) => text(f, "recipient")],
  ["Preference", (f) => joined(text(f, "preference.category"), text(f, "preference.value"))],
  [
    "History sync",
    (f) =>
      text(f, "history.progress") &&
      `${text(f, "history.progress")}% (phase ${text(f, "history.phase") ?? "?"})`,
  ],
  ["Solution", (f) => joined(text(f, "solution.id"), text(f, "solution.status"))],
];

function percent(f: Facts, name: string, threshold: string): string | undefined {
  const v = text(f, name);
  if (v === undefined) return undefined;
  const t = text(f, threshold);
  return `${v}%${t ? ` (threshold ${t}%)` : ""}`;
}

function epoch(f: Facts, name: string): string | undefined {
  const v = f[name];
  if (typeof v !== "number" || !Number.isFinite(v)) return undefined;
  return `${new Date(v * 1000).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * changeRows lists what changed as labelled rows for the email body; empty for per-message alerts.
 * The user's number is masked per `mask`, like samples (facts are masked when built, this holds either way).
 */
export function changeRows(alert: Alert, mask: boolean): { name: string; value: string }[] {
  const facts = changeFacts(alert);
  if (!facts) return [];
  return ROWS.flatMap(([name, read]) => {
    const value = read(facts);
    if (!value) return [];
    return [{ name, value: name === "User" && mask ? maskIfPhone(value) : value }];
  });
}
