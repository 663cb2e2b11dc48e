// The view model the email templates render: every value pre-formatted, so templates hold no logic.
import type { Alert } from "../../model/alert.js";
import { formatDuration } from "../../shared/duration.js";
import { linkField } from "../../shared/links.js";
import { percentText } from "../../shared/percent.js";
import {
  alertLocation,
  formatPhoneNumber,
  groupEntries,
  headline,
  publicSamples,
  readableTime,
  statusLabel,
} from "../present.js";
import { changeNotes } from "../change-notes.js";
import { changeRows } from "../change-summary.js";

/** EmailView is what HTML_TEMPLATE and TEXT_TEMPLATE see. */
export interface EmailView {
  subject: string;
  preheader: string;
  label: string;
  accent: string;
  resolved: boolean;
  code?: number;
  title: string;
  summary: string;
  description: string;
  count: number;
  /** How many events the samples were picked from: "5 of 12 events" (never fewer than the samples shown). */
  samples_of: number;
  facts: { name: string; value: string }[];
  meaning?: string;
  causes: string[];
  actions: { number: number; text: string }[];
  actions_heading: string;
  /** What an account-level change changed (template, status, reason, quality, ban state…); empty otherwise. */
  change: { name: string; value: string }[];
  /** Background knowledge for that change (pause lengths, what a ban state means). */
  notes: string[];
  samples: { time: string; recipient: string; details: string; message_id?: string }[];
  /** Which sample columns any sample fills: a column no sample has is left out. */
  sample_columns: { recipient: boolean; details: boolean };
  docs_url?: string;
  rule_id: string;
  alert_id: string;
  channel: string;
  sent_at: string;
}

/** ACCENTS are the label colours per severity: they keep white badge text readable (WCAG AA) in light-mode mail clients. */
export const ACCENTS = {
  critical: "#c62828",
  warning: "#b35c00",
  info: "#1f6feb",
  resolved: "#1a7f37",
} as const;

/** buildEmailView turns an alert for `channel` into the template's view; `mask` follows `alerts.mask_phone_numbers`. */
export function buildEmailView(
  alert: Alert,
  channel: string,
  mask: boolean,
  now: Date = new Date(),
): EmailView {
  const resolved = alert.type === "alert.resolved";
  const where = alertLocation(alert);
  const counted = alert.count_capped ? `${alert.count}+` : String(alert.count);
  const events =
    alert.distinct !== undefined
      ? `${counted} distinct ${alert.distinct}`
      : `${counted} ${alert.count === 1 ? "event" : "events"}`;
  const window = alert.window_seconds > 0 ? ` in ${formatDuration(alert.window_seconds * 1000)}` : "";
  const on = where ? ` on ${where}` : "";
  const summary = resolved ? `Back to normal${on}` : `${firingSummary(alert, events, window)}${on}`;
  const samples = publicSamples(alert, mask).map((s) => ({
    time: readableTime(s.timestamp),
    recipient: s.recipient ?? s.recipient_id ?? "",
    details: s.details ?? "",
    ...(s.message_id ? { message_id: s.message_id } : {}),
  }));
  return {
    subject: headline(alert),
    preheader: alert.meaning ?? summary,
    label: statusLabel(alert),
    accent: resolved ? ACCENTS.resolved : ACCENTS[alert.rule.severity],
    resolved,
    ...(alert.code === undefined ? {} : { code: alert.code }),
    title: alert.title,
    summary,
    description: alert.rule.description,
    count: alert.count,
    samples_of: Math.max(alert.event_count ?? alert.count, alert.samples.length),
    facts: facts(alert, mask),
    ...(alert.meaning ? { meaning: alert.meaning } : {}),
    causes: alert.causes,
    actions: alert.actions.map((text, i) => ({ number: i + 1, text })),
    actions_heading: resolved ? "If it comes back" : "What to do",
    change: changeRows(alert, mask),
    notes: changeNotes(alert),
    samples,
    sample_columns: {
      recipient: samples.some((s) => s.recipient !== ""),
      details: samples.some((s) => s.details !== "" || s.message_id !== undefined),
    },
    ...linkField("docs_url", alert.docs_url),
    rule_id: alert.rule.id,
    alert_id: alert.id,
    channel,
    sent_at: readableTime(now.toISOString()),
  };
}

/** firingSummary is the line under the title: how often, in words that fit the rule's kind. */
function firingSummary(alert: Alert, events: string, window: string): string {
  if (alert.silent_since !== undefined)
    return `No matching event for ${formatDuration(alert.window_seconds * 1000)}`;
  if (alert.of_count !== undefined)
    return `${events} of ${alert.of_count} (${percentText(alert.ratio ?? 0)})${window}`;
  if (alert.baseline_count !== undefined) return `${events}${window}, usually ${alert.baseline_count}`;
  return `${events}${window}`;
}

/** countFacts are the rows saying how often, by rule kind. */
function countFacts(
  alert: Alert,
  counted: string,
  window: string | undefined,
): { name: string; value: string }[] {
  const per = formatDuration(alert.window_seconds * 1000);
  if (alert.silent_since !== undefined) {
    return [
      { name: "Silent since", value: readableTime(alert.silent_since) },
      {
        name: "Count",
        value:
          alert.type === "alert.resolved"
            ? `${alert.count} within the last ${per} window`
            : `none for ${per}`,
      },
    ];
  }
  const rows = [{ name: "Count", value: window ? `${counted} ${window}` : counted }];
  if (alert.of_count !== undefined) {
    rows.push({ name: "Out of", value: `${alert.of_count} (${percentText(alert.ratio ?? 0)})` });
  }
  if (alert.baseline_count !== undefined)
    rows.push({ name: "Usual count", value: `${alert.baseline_count} per ${per}` });
  return rows;
}

function facts(alert: Alert, mask: boolean): { name: string; value: string }[] {
  const rows: { name: string; value: string }[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value) rows.push({ name, value });
  };
  const window =
    alert.window_seconds > 0 ? `within ${formatDuration(alert.window_seconds * 1000)}` : undefined;
  const counted = alert.count_capped
    ? `${alert.count}+ (the window keeps at most this many)`
    : String(alert.count);
  for (const row of countFacts(alert, counted, window)) add(row.name, row.value);
  if (alert.event_count !== undefined) add("Events", `${alert.event_count} behind those distinct values`);
  add("First seen", readableTime(alert.first_seen));
  add("Last seen", readableTime(alert.last_seen));
  add(
    "Business number",
    alert.where.display_phone_number && formatPhoneNumber(alert.where.display_phone_number),
  );
  add("Phone number ID", alert.where.phone_number_id);
  add("WABA ID", alert.where.waba_id);
  const group = groupEntries(alert, mask);
  add("Grouped by", group.map((g) => `${g.name} = ${g.value}`).join(", "));
  add("Rule", `${alert.rule.id} (${alert.rule.severity})`);
  return rows;
}
