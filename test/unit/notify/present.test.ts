// Headlines and number formatting as an on-call person reads them.
import { describe, expect, it } from "vitest";
import { formatPhoneNumber, headline, maskRecipient, publicSamples } from "../../../src/notify/present.js";
import { sampleAlert } from "../../../src/notify/sample.js";

describe("headline", () => {
  it("matches SPEC's example subject", () => {
    expect(headline(sampleAlert())).toBe(
      "[CRITICAL] 131048 Spam rate limit hit — 6 in 10m on +1 555 078 3881",
    );
  });

  it("says RESOLVED once the alert is over", () => {
    expect(headline({ ...sampleAlert(), type: "alert.resolved" })).toMatch(
      /^\[RESOLVED\] 131048 Spam rate limit hit/,
    );
  });

  it("omits the window for rules that fire on every match", () => {
    const alert = { ...sampleAlert(), count: 1, window_seconds: 0 };
    expect(headline(alert)).toBe("[CRITICAL] 131048 Spam rate limit hit — 1 on +1 555 078 3881");
  });

  it("falls back to the phone number id, and to no code", () => {
    const { code: _code, ...rest } = sampleAlert();
    const alert = {
      ...rest,
      where: { phone_number_id: "106540352242922" },
      rule: { ...rest.rule, severity: "warning" as const },
    };
    expect(headline(alert)).toBe("[WARNING] Spam rate limit hit — 6 in 10m on phone number 106540352242922");
  });
});

describe("formatPhoneNumber", () => {
  it.each([
    ["15550783881", "+1 555 078 3881"],
    ["+15550783881", "+1 555 078 3881"],
    ["5215512345679", "+52 155 1234 5679"],
    ["447700900123", "+44 770 090 0123"],
    ["+1 555 078 3881", "+1 555 078 3881"],
    ["106540", "106540"],
  ])("%s → %s", (raw, readable) => {
    expect(formatPhoneNumber(raw)).toBe(readable);
  });
});

describe("masking", () => {
  it("masks recipients once and leaves already masked values alone", () => {
    expect(maskRecipient("5215512345679", true)).toBe("+52155****679");
    expect(maskRecipient("+52155****679", true)).toBe("+52155****679");
    expect(maskRecipient("5215512345679", false)).toBe("5215512345679");
  });

  it("masks every sample's recipient", () => {
    for (const s of publicSamples(sampleAlert(), true)) expect(s.recipient_id).toMatch(/^\+\d+\*{4}\d{3}$/);
  });
});
