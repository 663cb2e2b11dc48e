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

  it("carries Retry-After as milliseconds and the body excerpt in the error", () => {
    expect(classifyResponse(429, "3", "slow down")).toEqual({
      kind: "retryable",
      error: "HTTP 429: slow down",
      retryAfterMs: 3000,
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
  });
});
