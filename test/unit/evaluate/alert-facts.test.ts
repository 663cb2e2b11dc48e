// alert.facts: the crossing event's facts, flat and bounded, with customer numbers masked.
import { describe, expect, it } from "vitest";
import { alertFacts, MAX_ALERT_FACTS, MAX_FACT_TEXT } from "../../../src/evaluate/alert-facts.js";
import type { Event } from "../../../src/model/event.js";

const base: Event = { id: "e1", source: "whatsapp", kind: "account_update", timestamp: 1767225600 };

describe("alertFacts", () => {
  it("flattens nested facts to dotted names, joins scalar lists and leaves out id and the raw value", () => {
    const facts = alertFacts(
      {
        ...base,
        event: "ACCOUNT_RESTRICTION",
        restriction: { types: ["A", "B"], expiration: 1767830400 },
        value: { event: "ACCOUNT_RESTRICTION", restriction_info: [{ restriction_type: "A" }] },
        catalog: { category: "integrity", retryable: false },
        nested: { list: [{ a: 1 }], empty: [] },
      },
      true,
    );
    expect(facts).toEqual({
      source: "whatsapp",
      kind: "account_update",
      timestamp: 1767225600,
      event: "ACCOUNT_RESTRICTION",
      "restriction.types": "A, B",
      "restriction.expiration": 1767830400,
      "catalog.category": "integrity",
      "catalog.retryable": false,
    });
  });

  it("masks recipients that are phone numbers, and only when masking is on", () => {
    const event = {
      ...base,
      recipient_id: "5215512345678",
      recipient: "5215512345678",
      recipient_user_id: "MX.1",
    };
    expect(alertFacts(event, true)).toMatchObject({
      recipient_id: "+52155****678",
      recipient: "+52155****678",
      recipient_user_id: "MX.1",
    });
    expect(alertFacts(event, false)).toMatchObject({ recipient_id: "5215512345678" });
    expect(alertFacts({ ...base, recipient: "MX.2093847561029384756" }, true).recipient).toBe(
      "MX.2093847561029384756",
    );
  });

  it("bounds what a generic source can put in an alert", () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, i]));
    expect(Object.keys(alertFacts({ ...base, ...many }, true))).toHaveLength(MAX_ALERT_FACTS);
    const long = alertFacts({ ...base, details: "x".repeat(5000) }, true).details as string;
    expect(long).toHaveLength(MAX_FACT_TEXT);
    expect(long.endsWith("…")).toBe(true);
  });
});
