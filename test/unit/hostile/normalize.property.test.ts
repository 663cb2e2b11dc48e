// Property tests: normalizeWhatsApp never throws on hostile JSON and always answers ok/false with a reason.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../../src/ingest/coerce.js";
import { normalizeWhatsApp, type NormalizeResult } from "../../../src/ingest/normalize.js";

const CTX = { receivedAtMs: 1_767_300_000_000, bodyHash: () => "f".repeat(64) };
const FIELDS = [
  "messages",
  "account_update",
  "phone_number_quality_update",
  "message_template_status_update",
  "message_template_quality_update",
  "account_alerts",
  "business_capability_update",
  "security",
  "calls",
  "history",
  "user_preferences",
  "user_id_update",
  "smb_message_echoes",
  "smb_app_state_sync",
  "template_category_update",
  "flows",
  "",
  "__proto__",
  "constructor",
];

// Any JSON value, strings including lone surrogates and escapes, so every field can get the wrong type.
const junk = fc.jsonValue({ maxDepth: 3, stringUnit: "binary" });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, junk);

const errorArb = maybe(
  fc.record(
    {
      code: fc.oneof(fc.integer(), fc.string(), fc.constant("131048"), fc.double(), junk),
      title: junk,
      message: junk,
      error_data: maybe(fc.record({ details: junk }, { requiredKeys: [] })),
      href: junk,
    },
    { requiredKeys: [] },
  ),
);
const statusArb = maybe(
  fc.record(
    {
      id: junk,
      status: fc.oneof(fc.constantFrom("sent", "delivered", "read", "failed"), junk),
      timestamp: fc.oneof(fc.nat().map(String), fc.nat(), fc.double(), junk),
      recipient_id: junk,
      errors: maybe(fc.array(errorArb, { maxLength: 4 })),
      pricing: junk,
      conversation: maybe(
        fc.record({ id: junk, origin: junk, expiration_timestamp: junk }, { requiredKeys: [] }),
      ),
    },
    { requiredKeys: [] },
  ),
);
const valueArb = maybe(
  fc.record(
    {
      messaging_product: junk,
      metadata: maybe(fc.record({ phone_number_id: junk, display_phone_number: junk }, { requiredKeys: [] })),
      statuses: maybe(fc.array(statusArb, { maxLength: 4 })),
      messages: maybe(
        fc.array(
          maybe(
            fc.record(
              { from: junk, id: junk, timestamp: junk, errors: maybe(fc.array(errorArb)) },
              { requiredKeys: [] },
            ),
          ),
          { maxLength: 3 },
        ),
      ),
      errors: maybe(fc.array(errorArb, { maxLength: 3 })),
      contacts: maybe(fc.array(maybe(fc.record({ wa_id: junk, user_id: junk }, { requiredKeys: [] })))),
      // The list fields' items, with errors and the ids and times they are read by.
      ...Object.fromEntries(
        ["calls", "history", "user_preferences", "user_id_update", "message_echoes", "state_sync"].map(
          (key) => [
            key,
            maybe(
              fc.array(
                maybe(
                  fc.record(
                    {
                      id: junk,
                      timestamp: junk,
                      direction: fc.oneof(fc.constant("USER_INITIATED"), junk),
                      from: junk,
                      to: junk,
                      wa_id: junk,
                      user_id: junk,
                      metadata: junk,
                      contact: junk,
                      errors: maybe(fc.array(errorArb, { maxLength: 2 })),
                    },
                    { requiredKeys: [] },
                  ),
                ),
                { maxLength: 3 },
              ),
            ),
          ],
        ),
      ),
      ban_info: junk,
      restriction_info: junk,
      old_limit: junk,
      current_limit: junk,
      event: junk,
      message_template_id: fc.oneof(
        fc.bigInt().map((b) => Number(b)),
        junk,
      ),
      alert_info: junk,
      entity_type: fc.oneof(fc.constant("PHONE_NUMBER"), junk),
      entity_id: junk,
      field: junk,
    },
    { requiredKeys: [] },
  ),
);
const changeArb = maybe(
  fc.record({ field: fc.oneof(fc.constantFrom(...FIELDS), junk), value: valueArb }, { requiredKeys: [] }),
);
const entryArb = maybe(
  fc.record(
    {
      id: junk,
      time: fc.oneof(fc.nat(), fc.double(), junk),
      changes: maybe(fc.array(changeArb, { maxLength: 4 })),
    },
    { requiredKeys: [] },
  ),
);
const envelopeArb = fc.record(
  {
    object: fc.oneof(fc.constant("whatsapp_business_account"), junk),
    entry: maybe(fc.array(entryArb, { maxLength: 4 })),
  },
  { requiredKeys: [] },
);

function expectWellFormed(result: NormalizeResult): void {
  if (!result.ok) {
    expect(typeof result.reason).toBe("string");
    expect(result.reason.length).toBeGreaterThan(0);
    return;
  }
  for (const e of result.events) {
    expect(e.id).toMatch(/^[0-9a-f]{32}$/);
    expect(e.source).toBe("whatsapp");
    expect(typeof e.kind).toBe("string");
    expect(Number.isFinite(e.timestamp)).toBe(true);
    if (e.code !== undefined) expect(Number.isInteger(e.code)).toBe(true);
    // Whatever came in must survive the trip into a BullMQ job.
    expect(() => JSON.stringify(e)).not.toThrow();
  }
}

function normalizeText(text: string): NormalizeResult {
  return normalizeWhatsApp(JSON.parse(text), CTX);
}

describe("normalizeWhatsApp under hostile input", () => {
  it("never throws on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (v) => expectWellFormed(normalizeWhatsApp(v, CTX))),
      { numRuns: 500 },
    );
  });

  it("never throws when any field of a Meta envelope has the wrong type", () => {
    fc.assert(
      fc.property(envelopeArb, (v) => expectWellFormed(normalizeWhatsApp(v, CTX))),
      { numRuns: 1500 },
    );
  });

  it("is deterministic: the same body always gives the same event ids", () => {
    fc.assert(
      fc.property(envelopeArb, (v) => {
        const a = normalizeWhatsApp(structuredClone(v), CTX);
        const b = normalizeWhatsApp(structuredClone(v), CTX);
        expect(b).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses, instead of overflowing the stack, a body nested thousands of levels deep", () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 5_000, 100_000]) {
      const deep = "[".repeat(depth) + "]".repeat(depth);
      for (const body of [
        `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{"x":${deep}}}]}]}`,
        `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[{"id":"w","status":"failed","errors":[{"code":1,"x":${deep}}]}]}}]}]}`,
        `{"entry":${deep}}`,
      ]) {
        const result = normalizeText(body);
        expect(result.ok).toBe(false);
        expect(result.ok ? "" : result.reason).toMatch(/nested deeper than/);
      }
    }
  });

  it("keeps every event of a huge array and stays fast", () => {
    const statuses = Array.from({ length: 20_000 }, (_, i) => ({
      id: `wamid.${i}`,
      status: "failed",
      timestamp: "1767225600",
      recipient_id: "15551234567",
      errors: [{ code: 131048, title: "Spam rate limit hit" }],
    }));
    const body = {
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { statuses } }] }],
    };
    const started = performance.now();
    const result = normalizeWhatsApp(body, CTX);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.ok && result.events.length).toBe(20_000);
    expect(result.ok && new Set(result.events.map((e) => e.id)).size).toBe(20_000);
  });

  it("reads unicode escapes, lone surrogates and NUL in strings without harm", () => {
    const body = String.raw`{"object":"whatsapp_business_account","entry":[{"id":"1\u0000","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"\ud800\u202e\u0000"},"statuses":[{"id":"w\u00e9\ud83d\ude00","status":"failed","timestamp":"1767225600","errors":[{"code":"131048","title":"<\/script>\u2028\u2029"}]}]}}]}]}`;
    const result = normalizeText(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({
      code: 131048,
      phone_number_id: "\ud800\u202e\u0000",
      title: "</script>\u2028\u2029",
    });
  });

  it("does not let __proto__ keys pollute prototypes", () => {
    const body = `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{"__proto__":{"polluted":true},"event":"DISABLED_UPDATE"}}]}]}`;
    const result = normalizeText(body);
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
