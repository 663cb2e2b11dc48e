// The Notification and its SendResult: what crosses route → notify, and a notifier's verdict on one attempt.
import type { Alert } from "./alert.js";

/** Digest is the alerts of one group (per channel) that came in during one grouping interval. */
export interface Digest {
  /** Stable per digest: its idempotency key and email Message-ID derive from it, across retries and processes. */
  id: string;
  type: "alert.digest";
  /** Firing and resolved alerts are gathered apart: this says which these are. */
  alert_type: Alert["type"];
  /** The grouping values the alerts share, by the channel's `group.by` (`{ rule: "spam-rate-limit" }`). */
  group: Record<string, string>;
  /** The interval the alerts came in (ISO-8601). */
  from: string;
  to: string;
  /** Alerts of the group in the interval, including the one sent at once (`sent_at_once`). */
  count: number;
  /**
   * The alerts listed, oldest first: at most DIGEST_MAX_ALERTS, each with at most one sample, so a
   * flood stays small. Fewer than `count` when the flood was larger.
   */
  alerts: Alert[];
  /** The id of the alert sent on its own when the interval began; it is listed as well. */
  sent_at_once?: string;
}

/** AlertNotification is one alert bound for one configured channel (by its name in `channels`). */
export interface AlertNotification {
  alert: Alert;
  channel: string;
  digest?: undefined;
}

/** DigestNotification is one digest (several alerts of one group) bound for one configured channel. */
export interface DigestNotification {
  digest: Digest;
  channel: string;
  alert?: undefined;
}

/** Notification is what one notifier call delivers: one alert, or a digest of several, to one channel. */
export type Notification = AlertNotification | DigestNotification;

/** isDigest says whether a notification carries a digest rather than one alert. */
export function isDigest(n: Notification): n is DigestNotification {
  return n.digest !== undefined;
}

/** notifiedAlertIds lists the alerts a notification tells about (a digest: every alert it lists). */
export function notifiedAlertIds(n: Notification): string[] {
  return isDigest(n) ? n.digest.alerts.map((a) => a.id) : [n.alert.id];
}

/** isResolvedNotification says whether a notification is about alerts that resolved. */
export function isResolvedNotification(n: Notification): boolean {
  return isDigest(n) ? n.digest.alert_type === "alert.resolved" : n.alert.type === "alert.resolved";
}

/**
 * SendResult is a notifier's verdict on its single attempt: delivered, worth another try later
 * (optionally not before `retryAfterMs`), or never going to work as configured.
 */
export type SendResult =
  | { kind: "ok"; detail?: string }
  | { kind: "retryable"; error: string; retryAfterMs?: number }
  | { kind: "permanent"; error: string };

/**
 * deliveryName names one notification the same way for every attempt and process: the alert id and
 * channel, plus "resolved" for a resolved alert (or "digest", the digest id and channel), joined by `sep`.
 * Job ids, idempotency keys, email Message-IDs and outbox file names all derive from it.
 */
export function deliveryName(n: Notification, sep: string, part: (s: string) => string = (s) => s): string {
  if (isDigest(n)) return `digest${sep}${part(n.digest.id)}${sep}${part(n.channel)}`;
  const resolved = n.alert.type === "alert.resolved" ? `${sep}resolved` : "";
  return `${part(n.alert.id)}${sep}${part(n.channel)}${resolved}`;
}

/** moreCount is how many alerts of the digest were not sent on their own: what its headline counts. */
export function moreCount(digest: Digest): number {
  return digest.count - (digest.sent_at_once === undefined ? 0 : 1);
}
