// The Digest: several alerts of one group gathered over an interval, the value that crosses route → notify.
import type { Alert } from "../evaluate/alert.js";

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

/** DIGEST_MAX_ALERTS is how many alerts one digest lists in full; beyond it they are only counted. */
export const DIGEST_MAX_ALERTS = 1000;

/** RoutedNotification is one alert, or one digest, bound for one channel: what routing hands to delivery. */
export type RoutedNotification =
  | { readonly alert: Alert; readonly channel: string; readonly digest?: undefined }
  | { readonly digest: Digest; readonly channel: string; readonly alert?: undefined };

/** moreCount is how many alerts of the digest were not sent on their own: what its headline counts. */
export function moreCount(digest: Digest): number {
  return digest.count - (digest.sent_at_once === undefined ? 0 : 1);
}

/** digestItem is the alert as a digest keeps it: one sample, no processing internals. */
export function digestItem(alert: Alert): Alert {
  const { received_at: _received, ...rest } = alert;
  return { ...rest, samples: alert.samples.slice(0, 1) };
}
