// Sorts an HTTP response (or the failure to get one) into ok, retryable or permanent.
import { errorText } from "../types.js";
import type { SendResult } from "../../model/notification.js";

/** parseRetryAfter reads a Retry-After header (delay in seconds, or an HTTP date) as milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * classifyResponse maps a status to a SendResult: 2xx ok; 408, 429 and 5xx retryable, honouring
 * Retry-After; anything else (other 4xx, an unfollowed redirect) permanent, since resending the
 * same request will get the same answer.
 */
export function classifyResponse(status: number, retryAfter: string | null, excerpt: string): SendResult {
  if (status >= 200 && status < 300) return { kind: "ok", detail: `HTTP ${status}` };
  const error = `HTTP ${status}${excerpt ? `: ${excerpt}` : ""}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return retryAfterMs === undefined
      ? { kind: "retryable", error }
      : { kind: "retryable", error, retryAfterMs };
  }
  return { kind: "permanent", error };
}

/** classifyFetchError maps a failed request (network error, timeout) to a retryable SendResult. */
export function classifyFetchError(err: unknown, timeoutMs: number): SendResult {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return { kind: "retryable", error: `no response within ${timeoutMs} ms` };
  }
  const cause = err instanceof Error ? (err as { cause?: unknown }).cause : undefined;
  return { kind: "retryable", error: cause ? `${errorText(err)} (${errorText(cause)})` : errorText(err) };
}
