// Sorts what nodemailer threw into retryable (try again later) or permanent (will fail the same way again).
import { errorText } from "../types.js";
import type { SendResult } from "../../model/notification.js";

// Codes nodemailer sets when the message or configuration itself is wrong; no later attempt can succeed.
const PERMANENT_CODES = new Set([
  "ECONFIG",
  "ENOAUTH",
  "EMESSAGE",
  "EENVELOPE",
  "EMAXRECIPIENTS",
  "EREQUIRETLS",
  "EFILEACCESS",
  "EURLACCESS",
]);

/**
 * classifyMailError maps an SMTP failure to a SendResult: 4xx replies (and 503, a session-state
 * complaint) are retryable, other 5xx replies permanent; without a reply, connection trouble and
 * timeouts are retryable while configuration and message errors are permanent.
 */
export function classifyMailError(err: unknown): SendResult {
  const error = errorText(err);
  const e = (typeof err === "object" && err !== null ? err : {}) as {
    responseCode?: unknown;
    code?: unknown;
  };
  if (typeof e.responseCode === "number") {
    const permanent = e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503;
    return permanent ? { kind: "permanent", error } : { kind: "retryable", error };
  }
  if (typeof e.code === "string" && PERMANENT_CODES.has(e.code)) return { kind: "permanent", error };
  return { kind: "retryable", error };
}
