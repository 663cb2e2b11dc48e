// How each kind of failure is classified: what gets retried and what goes straight to the dead letters.
import { describe, expect, it } from "vitest";
import { classifyMailError } from "../../../src/notify/email/classify.js";
import {
  classifyFetchError,
  classifyResponse,
  parseRetryAfter,
} from "../../../src/notify/webhook/classify.js";

const smtpError = (responseCode: number) =>
  Object.assign(new Error(`${responseCode} nope`), { responseCode });
const codeError = (code: string) => Object.assign(new Error("boom"), { code });

describe("classifyMailError", () => {
  it("retries 4xx replies and 503, gives up on other 5xx", () => {
    expect(classifyMailError(smtpError(451)).kind).toBe("retryable");
    expect(classifyMailError(smtpError(421)).kind).toBe("retryable");
    expect(classifyMailError(smtpError(503)).kind).toBe("retryable");
    expect(classifyMailError(smtpError(550)).kind).toBe("permanent");
    expect(classifyMailError(smtpError(535)).kind).toBe("permanent");
  });

  it("retries connection trouble and timeouts, not configuration mistakes", () => {
    for (const code of ["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ETLS"]) {
      expect(classifyMailError(codeError(code)).kind).toBe("retryable");
    }
    for (const code of ["ECONFIG", "ENOAUTH", "EENVELOPE"]) {
      expect(classifyMailError(codeError(code)).kind).toBe("permanent");
    }
  });
});

describe("classifyResponse", () => {
  it("accepts 2xx", () => {
    expect(classifyResponse(200, null, "").kind).toBe("ok");
    expect(classifyResponse(204, null, "").kind).toBe("ok");
  });

  it("retries 408, 429 and 5xx, never other 4xx", () => {
    for (const s of [408, 429, 500, 502, 503]) expect(classifyResponse(s, null, "").kind).toBe("retryable");
    for (const s of [400, 401, 403, 404, 410, 422])
      expect(classifyResponse(s, null, "").kind).toBe("permanent");
  });

  it("carries Retry-After as milliseconds and a short plain reason from the body in the error", () => {
    expect(classifyResponse(429, "3", "slow down")).toEqual({
      kind: "retryable",
      error: "HTTP 429 Too Many Requests: slow down",
      retryAfterMs: 3000,
    });
  });

  it("keeps a short plain reason (or a JSON error's), never markup, addresses or long bodies", () => {
    const errorOf = (status: number, body: string) => {
      const result = classifyResponse(status, null, body);
      return result.kind === "ok" ? undefined : result.error;
    };
    expect(errorOf(400, '{"error":{"message":"unknown field"}}')).toBe("HTTP 400 Bad Request: unknown field");
    expect(errorOf(403, '{"error":"invalid_token"}')).toBe("HTTP 403 Forbidden: invalid_token");
    for (const body of ["<h1>Forbidden</h1>", "see https://example.com/help", "x".repeat(81), "a@b.example"]) {
      expect(errorOf(403, body)).toBe("HTTP 403 Forbidden");
    }
  });

  it("never follows a redirect: a 3xx is permanent and says so", () => {
    expect(classifyResponse(302, null, "moved")).toEqual({
      kind: "permanent",
      error: "HTTP 302 Found: redirects are not followed; point the channel at the final URL",
    });
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2025-03-04T10:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Tue, 04 Mar 2025 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 04 Mar 2025 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("retries network errors and timeouts", () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(classifyFetchError(timeout, 500)).toEqual({
      kind: "retryable",
      error: "no response within 500 ms",
    });
    const refused = new TypeError("fetch failed", { cause: codeError("ECONNREFUSED") });
    expect(classifyFetchError(refused, 500)).toMatchObject({
      kind: "retryable",
      error: expect.stringContaining("ECONNREFUSED"),
    });
    const withUrl = new TypeError("Request cannot be constructed from a URL that includes credentials: https://u:pw@h.example/x");
    expect(classifyFetchError(withUrl, 500)).toEqual({
      kind: "retryable",
      error: "Request cannot be constructed from a URL that includes credentials: https://…@h.example/x",
    });
  });
});
