// The notifier interface: one attempt at delivering a Notification, classified as a SendResult.
import type { Notification, SendResult } from "../model/notification.js";

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
