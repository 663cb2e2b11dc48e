// Presentation shared by every channel: the one-line headline, readable business numbers, masked samples.
import type { Alert, AlertSample } from "../model/alert.js";
import { formatDuration } from "../shared/duration.js";
import { isPhoneNumber, maskPhone, RECIPIENT_FACTS } from "../shared/mask.js";
import { percentText } from "../shared/percent.js";
import { changeSummary } from "./change-summary.js";

// ITU calling codes are prefix-free: these one- and two-digit codes are assigned, every other is three digits.
const ONE_DIGIT = new Set(["1", "7"]);
const TWO_DIGIT = new Set(
  "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98".split(
    " ",
  ),
);

/**
 * formatPhoneNumber spaces a business number the way people read it aloud (15550783881 → +1 555 078 3881).
 * Anything that is not a plain run of 8–15 digits (already formatted, masked, an id) comes back unchanged.
 */
export function formatPhoneNumber(raw: string): string {
  const digits = raw.replace(/[\s+\-().]/g, "");
  if (!/^\d{8,15}$/.test(digits)) return raw;
  const ccLength = ONE_DIGIT.has(digits.slice(0, 1)) ? 1 : TWO_DIGIT.has(digits.slice(0, 2)) ? 2 : 3;
  const groups: string[] = [];
  let rest = digits.slice(ccLength);
  while (rest.length > 4 && rest.length !== 8) {
    groups.push(rest.slice(0, 3));
    rest = rest.slice(3);
  }
  if (rest.length === 8) groups.push(rest.slice(0, 4), rest.slice(4));
  else if (rest.length > 0) groups.push(rest);
  return `+${digits.slice(0, ccLength)} ${groups.join(" ")}`;
}

/** alertLocation names where the alert happened: the business display number, else the phone number id or WABA. */
export function alertLocation(alert: Alert): string | undefined {
  const w = alert.where;
  if (w.display_phone_number) return formatPhoneNumber(w.display_phone_number);
  if (w.phone_number_id) return `phone number ${w.phone_number_id}`;
  if (w.waba_id) return `WABA ${w.waba_id}`;
  return undefined;
}

/**
 * countText says how often: "6 in 10m", "6.12 % (12 of 196) in 1h" for a ratio, "42 in 10m (usual 6.2)"
 * for a spike, "none for 15m" for a silence, or just "1" for rules that fire on every match (window 0).
 */
export function countText(alert: Alert): string {
  const within = formatDuration(alert.window_seconds * 1000);
  if (alert.silent_since !== undefined) {
    return alert.type === "alert.resolved" ? "sending again" : `none for ${within}`;
  }
  if (alert.of_count !== undefined) {
    return `${percentText(alert.ratio ?? 0)} (${alert.count} of ${alert.of_count}) in ${within}`;
  }
  if (alert.baseline_count !== undefined)
    return `${alert.count} in ${within} (usual ${alert.baseline_count})`;
  // A capped window knows only a floor: say "100000+" rather than a number that looks exact.
  const floor = alert.count_capped ? "+" : "";
  const count = `${alert.count}${floor}${alert.distinct !== undefined ? ` distinct ${alert.distinct}` : ""}`;
  return alert.window_seconds > 0 ? `${count} in ${formatDuration(alert.window_seconds * 1000)}` : count;
}

/** statusLabel is the bracketed tag that leads every headline: the severity, or RESOLVED once it is over. */
export function statusLabel(alert: Alert): string {
  return alert.type === "alert.resolved" ? "RESOLVED" : alert.rule.severity.toUpperCase();
}

/**
 * headline is the one line an on-call person reads first, e.g. `[CRITICAL] 131048 Spam rate limit hit — 6 in
 * 10m on +1 555 078 3881`; an account-level alert says what changed: `… by Meta: template promo (es) PAUSED, …`.
 */
export function headline(alert: Alert): string {
  const title = alert.code === undefined ? alert.title : `${alert.code} ${alert.title}`;
  const change = changeSummary(alert);
  const what = change ? `${title}: ${change}` : title;
  const where = alertLocation(alert);
  return `[${statusLabel(alert)}] ${what} — ${countText(alert)}${where ? ` on ${where}` : ""}`;
}

/**
 * maskRecipient hides a customer's number unless masking is off; values that already hide digits, and ids
 * that are not phone numbers (business-scoped user ids), are kept.
 */
export function maskRecipient(value: string, mask: boolean): string {
  return mask && isPhoneNumber(value) ? maskPhone(value) : value;
}

const RECIPIENTS = new Set(RECIPIENT_FACTS);

/** publicSamples returns the alert's samples with recipient numbers masked per `alerts.mask_phone_numbers`. */
export function publicSamples(alert: Alert, mask: boolean): AlertSample[] {
  return alert.samples.map((s) => {
    const out = { ...s };
    if (out.recipient_id !== undefined) out.recipient_id = maskRecipient(out.recipient_id, mask);
    if (out.recipient !== undefined) out.recipient = maskRecipient(out.recipient, mask);
    return out;
  });
}

/** groupEntries lists the alert's group values in `group_by` order; a customer's number is masked like samples. */
export function groupEntries(alert: Alert, mask: boolean): { name: string; value: string }[] {
  return Object.entries(alert.group).map(([name, value]) => ({
    name,
    value: RECIPIENTS.has(name) ? maskRecipient(value, mask) : value,
  }));
}

/** publicFacts returns the alert's event facts with customer numbers masked like samples. */
export function publicFacts(alert: Alert, mask: boolean): NonNullable<Alert["facts"]> | undefined {
  if (!alert.facts) return undefined;
  const out = { ...alert.facts };
  for (const name of RECIPIENTS) {
    const v = out[name];
    if (typeof v === "string") out[name] = maskRecipient(v, mask);
  }
  return out;
}

/** readableTime shows an ISO-8601 instant as `2024-05-01 12:34:56 UTC`; anything unparseable comes back as is. */
export function readableTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
