// Sorts an HTTP response (or the failure to get one) into ok, retryable or permanent, with a safe error text.
import { STATUS_CODES } from "node:http";
import { errorText } from "../types.js";
import type { SendResult } from "../../model/notification.js";

/** REDIRECT_ERROR is what a 3xx answer says: following it would re-send the body and its signature elsewhere. */
export const REDIRECT_ERROR = "redirects are not followed; point the channel at the final URL";

/** MAX_REASON_BODY is the most of a receiver's body read to find a short reason; a longer body is not one. */
export const MAX_REASON_BODY = 1024;

// A reason is a short line of plain words (Slack's `no_service`, `invalid_payload`, "unknown field"): no markup,
// no addresses, nothing a receiver (or whoever it forwards to) could smuggle into history, logs or the console.
const PLAIN_REASON = /^[A-Za-z0-9 _.,;'()-]{1,80}$/;

/** parseRetryAfter reads a Retry-After header (delay in seconds, or an HTTP date) as milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * shortReason is the receiver's own reason when its body is nothing more than one: a short plain line, or a
 * JSON object whose `error` or `message` is one. Anything else (HTML pages, stack traces, long text) gives none.
 */
export function shortReason(body: string): string | undefined {
  const text = body.trim().replace(/\s+/g, " ");
  if (PLAIN_REASON.test(text)) return text;
  if (!text.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const nested =
      typeof parsed.error === "object" && parsed.error !== null
        ? (parsed.error as { message?: unknown }).message
        : undefined;
    for (const candidate of [parsed.error, parsed.message, nested]) {
      if (typeof candidate === "string" && PLAIN_REASON.test(candidate.trim())) return candidate.trim();
    }
  } catch {
    // Not JSON after all: no reason.
  }
  return undefined;
}

/** statusLine is `HTTP 404 Not Found`: the status and its standard phrase, never the receiver's own phrase. */
function statusLine(status: number): string {
  const phrase = STATUS_CODES[status];
  return phrase ? `HTTP ${status} ${phrase}` : `HTTP ${status}`;
}

/**
 * classifyResponse maps a status to a SendResult: 2xx ok; 408, 429 and 5xx retryable, honouring
 * Retry-After; a redirect and any other 4xx permanent, since resending the same request will get the same
 * answer. `body` is the start of the receiver's answer; only a short plain reason from it is kept.
 */
export function classifyResponse(status: number, retryAfter: string | null, body: string): SendResult {
  if (status >= 200 && status < 300) return { kind: "ok", detail: `HTTP ${status}` };
  if (status >= 300 && status < 400)
    return { kind: "permanent", error: `${statusLine(status)}: ${REDIRECT_ERROR}` };
  const reason = shortReason(body);
  const error = `${statusLine(status)}${reason ? `: ${reason}` : ""}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return retryAfterMs === undefined
      ? { kind: "retryable", error }
      : { kind: "retryable", error, retryAfterMs };
  }
  return { kind: "permanent", error };
}

/** withoutCredentials hides `user:password@` in any URL an error message quotes. */
export function withoutCredentials(text: string): string {
  return text.replace(/(\/\/)[^/\s@]*@/g, "$1…@");
}

/** classifyFetchError maps a failed request (network error, timeout) to a retryable SendResult. */
export function classifyFetchError(err: unknown, timeoutMs: number): SendResult {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return { kind: "retryable", error: `no response within ${timeoutMs} ms` };
  }
  const cause = err instanceof Error ? (err as { cause?: unknown }).cause : undefined;
  const text = cause ? `${errorText(err)} (${errorText(cause)})` : errorText(err);
  return { kind: "retryable", error: withoutCredentials(text) };
}
