// The values that cross into and out of a notifier: what to send, where, and how the one attempt went.
import type { Alert } from "../evaluate/alert.js";
import type { Digest } from "../route/digest.js";

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
 * Notifier delivers notifications for one channel. `send` makes exactly one attempt and reports the
 * outcome as a SendResult instead of throwing, so that retrying stays the worker's business alone.
 */
export interface Notifier {
  readonly type: string;
  send(n: Notification): Promise<SendResult>;
  close(): Promise<void>;
}

/** errorText renders anything thrown as one line for a SendResult, without a stack. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
