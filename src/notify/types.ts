// The values that cross into and out of a notifier: what to send, where, and how the one attempt went.
import type { Alert } from "../evaluate/alert.js";

/** Notification is one alert bound for one configured channel (by its name in `channels`). */
export interface Notification {
  alert: Alert;
  channel: string;
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
