// POST /events bodies: defaults, stable ids and the reasons a body is refused.
import { describe, expect, it } from "vitest";
import { parseGenericEvents } from "../../../src/ingest/generic.js";

const NOW_MS = 1_767_300_000_500;

describe("parseGenericEvents", () => {
  it("fills source, kind and timestamp defaults and keeps every other fact", () => {
    const r = parseGenericEvents({ code: 131048, phone_number_id: "200", tenant: "acme" }, NOW_MS);
    expect(r).toEqual({
      ok: true,
      events: [
        {
          id: expect.stringMatching(/^[0-9a-f]{32}$/),
          source: "generic",
          kind: "generic",
          timestamp: 1767300000,
          code: 131048,
          phone_number_id: "200",
          tenant: "acme",
        },
      ],
    });
  });

  it("keeps a string id and derives the same id for the same object whatever its key order", () => {
    const a = parseGenericEvents(
      [
        { code: 1, id: "evt-1" },
        { code: 2, a: 1, b: 2 },
      ],
      NOW_MS,
    );
    const b = parseGenericEvents({ b: 2, a: 1, code: 2 }, NOW_MS + 60_000);
    expect(a.ok && a.events[0]?.id).toBe("evt-1");
    expect(a.ok && a.events[1]?.id).toBe(b.ok && b.events[0]?.id);
  });

  it("reads unix seconds, unix milliseconds and ISO-8601 timestamps", () => {
    const r = parseGenericEvents(
      [
        { code: 1, timestamp: 1767225660 },
        { code: 1, timestamp: 1767225660123 },
        { code: 1, timestamp: "2026-01-01T00:01:00Z" },
      ],
      NOW_MS,
    );
    expect(r.ok && r.events.map((e) => e.timestamp)).toEqual([1767225660, 1767225660, 1767225660]);
  });

  it.each([
    ["a non-object", 42, /event must be a JSON object, got number/],
    ["a missing code", { title: "x" }, /"code" is required/],
    ["a string code", { code: "131048" }, /"code" must be an integer, got string/],
    ["a fractional code", { code: 1.5 }, /"code" must be an integer/],
    ["an object phone_number_id", { code: 1, phone_number_id: { id: 200 } }, /"phone_number_id" must be a string/],
    ["an unreadable timestamp", { code: 1, timestamp: "yesterday" }, /"timestamp"/],
    ["an empty id", { code: 1, id: "" }, /"id"/],
  ])("refuses %s with a reason", (_name, body, reason) => {
    const r = parseGenericEvents(body, NOW_MS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it("reads a number given for a string fact as its digits, so string rules match it", () => {
    const r = parseGenericEvents({ code: 1, phone_number_id: 106540352242922, display_phone_number: 15550783881 }, NOW_MS);
    expect(r.ok && r.events[0]).toMatchObject({ phone_number_id: "106540352242922", display_phone_number: "15550783881" });
  });

  it("refuses the whole array when one item is wrong, naming its index", () => {
    const r = parseGenericEvents([{ code: 1 }, { code: 2 }, null], NOW_MS);
    expect(r).toEqual({ ok: false, reason: "events[2] must be a JSON object, got null" });
  });
});
