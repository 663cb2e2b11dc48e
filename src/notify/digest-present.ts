// Presentation of a digest shared by every channel: its headline, one row per alert, the guidance once.
import type { Alert, Severity } from "../model/alert.js";
import { linkField } from "../shared/links.js";
import { alertLocation, countText, groupEntries, readableTime } from "./present.js";
import type { Digest } from "../model/notification.js";
import { moreCount } from "../model/notification.js";

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** DigestRow is one alert of a digest as a table row: every value ready to show. */
export interface DigestRow {
  readonly where: string;
  readonly what: string;
  readonly group: string;
  readonly count: string;
  readonly first_seen: string;
  readonly last_seen: string;
  /** "sent on its own" for the alert that opened the interval and went at once, else empty. */
  readonly note: string;
}

/** DigestGuide is the meaning and actions of one error code (or rule), shown once however many alerts share it. */
export interface DigestGuide {
  readonly heading: string;
  readonly meaning?: string;
  readonly actions: readonly string[];
  readonly docs_url?: string;
}

/** newAlerts are the alerts the digest adds: every listed alert but the one already sent on its own. */
export function newAlerts(digest: Digest): Alert[] {
  return digest.alerts.filter((a) => a.id !== digest.sent_at_once);
}

/** digestLabel is the bracketed tag of the headline: RESOLVED, or the highest severity among the new alerts. */
export function digestLabel(digest: Digest): string {
  if (digest.alert_type === "alert.resolved") return "RESOLVED";
  const alerts = newAlerts(digest);
  const top = alerts.reduce<Severity>(
    (s, a) => (RANK[a.rule.severity] > RANK[s] ? a.rule.severity : s),
    "info",
  );
  return (alerts.length ? top : "warning").toUpperCase();
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** digestWhere says where the new alerts happened: "on 37 numbers", "on 2 WABAs", or nothing. */
function digestWhere(alerts: readonly Alert[]): string {
  const numbers = new Set(
    alerts.map((a) => a.where.display_phone_number ?? a.where.phone_number_id).filter(Boolean),
  );
  if (numbers.size > 0) return ` on ${plural(numbers.size, "number")}`;
  const wabas = new Set(alerts.map((a) => a.where.waba_id).filter(Boolean));
  return wabas.size > 0 ? ` on ${plural(wabas.size, "WABA")}` : "";
}

/** digestRules names the rules of the new alerts: up to three, then how many more. */
function digestRules(alerts: readonly Alert[]): string {
  const ids = [...new Set(alerts.map((a) => a.rule.id))];
  const shown = ids.slice(0, 3).join(", ");
  return ids.length > 3 ? `${shown} and ${plural(ids.length - 3, "more rule")}` : shown;
}

/**
 * digestHeadline is the digest's one line, e.g. `[CRITICAL] 37 more alerts: spam-rate-limit on 37 numbers`
 * ("more": the first alert of the interval was sent on its own).
 */
export function digestHeadline(digest: Digest): string {
  const alerts = newAlerts(digest);
  const more = moreCount(digest);
  const resolved = digest.alert_type === "alert.resolved" ? " resolved" : "";
  return `[${digestLabel(digest)}] ${plural(more, "more alert")}${resolved}: ${digestRules(alerts)}${digestWhere(alerts)}`;
}

/** digestRows lists every alert of the digest, oldest first, with recipient numbers masked per `mask`. */
export function digestRows(digest: Digest, mask: boolean): DigestRow[] {
  return digest.alerts.map((a) => ({
    where: alertLocation(a) ?? "—",
    what: a.code === undefined ? a.title : `${a.code} ${a.title}`,
    group:
      groupEntries(a, mask)
        .map((g) => `${g.name} = ${g.value}`)
        .join(", ") || "—",
    count: countText(a),
    first_seen: readableTime(a.first_seen),
    last_seen: readableTime(a.last_seen),
    note: a.id === digest.sent_at_once ? "sent on its own" : "",
  }));
}

/** digestGuides gives the catalog's meaning and the actions once per error code (or per rule, for alerts without one). */
export function digestGuides(digest: Digest): DigestGuide[] {
  const guides = new Map<string, DigestGuide>();
  for (const a of digest.alerts) {
    const key = a.code === undefined ? `rule:${a.rule.id}` : `code:${a.code}`;
    if (guides.has(key)) continue;
    guides.set(key, {
      heading: a.code === undefined ? a.rule.description : `${a.code} ${a.title}`,
      ...(a.meaning ? { meaning: a.meaning } : {}),
      actions: a.actions,
      ...linkField("docs_url", a.docs_url),
    });
  }
  return [...guides.values()];
}

/** unlisted is how many alerts of the interval the digest counts but does not list (a flood past its cap). */
export function unlisted(digest: Digest): number {
  return Math.max(0, digest.count - digest.alerts.length);
}
