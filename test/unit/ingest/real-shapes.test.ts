// Real webhook shapes (test/fixtures/webhooks, written from Meta's documented shapes) → the facts rules test.
//
// Each fixture is { about, body, expect }: `expect` lists the events the body must give, in order, each
// with the facts that matter for rules; a fact written as null must be absent.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Event } from "../../../src/model/event.js";
import { normalizeWhatsApp } from "../../../src/ingest/normalize.js";

const DIR = join(import.meta.dirname, "../../fixtures/webhooks");
const RECEIVED_AT_MS = 1_767_400_000_000;

interface Fixture {
  about: string;
  body: unknown;
  expect: Record<string, unknown>[];
}

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(join(DIR, file), "utf8")) as Fixture] as const);

function normalize(body: unknown, receivedAtMs = RECEIVED_AT_MS, source?: string): Event[] {
  const r = normalizeWhatsApp(structuredClone(body), {
    receivedAtMs,
    bodyHash: () => "c".repeat(64),
    ...(source === undefined ? {} : { source }),
  });
  if (!r.ok) throw new Error(`not normalized: ${r.reason}`);
  return r.events;
}

/** expectFacts checks every expected fact at its path; null means "absent", objects are checked member by member. */
function expectFacts(actual: unknown, expected: Record<string, unknown>, path: string): void {
  for (const [name, want] of Object.entries(expected)) {
    const got = (actual as Record<string, unknown> | undefined)?.[name];
    const where = `${path}.${name}`;
    if (want === null) expect(got, `${where} should be absent`).toBeUndefined();
    else if (typeof want === "object" && !Array.isArray(want)) {
      expect(typeof got, `${where} should be an object`).toBe("object");
      expectFacts(got, want as Record<string, unknown>, where);
    } else expect(got, where).toEqual(want);
  }
}

describe("real webhook shapes normalize to the facts rules need", () => {
  it("covers at least 40 distinct shapes", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    const bodies = new Set(fixtures.map(([, f]) => JSON.stringify(f.body)));
    expect(bodies.size).toBe(fixtures.length);
  });

  it.each(fixtures)("%s", (file, fixture) => {
    const events = normalize(fixture.body);
    expect(
      events.map((e) => e.kind),
      fixture.about,
    ).toHaveLength(fixture.expect.length);
    fixture.expect.forEach((want, i) => {
      expectFacts(events[i], want, `${file} event ${i}`);
    });
    for (const e of events) {
      expect(e.id).toMatch(/^[0-9a-f]{32}$/);
      expect(Number.isInteger(e.timestamp)).toBe(true);
    }
    // Ids identify the delivery, not its arrival: a redelivery days later dedups against the first.
    expect(normalize(fixture.body, RECEIVED_AT_MS + 86_400_000).map((e) => e.id)).toEqual(
      events.map((e) => e.id),
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

describe("facts across shapes", () => {
  const all = fixtures.flatMap(([, f]) => normalize(f.body));

  it("names the recipient of every status by recipient, phone number first", () => {
    const statuses = all.filter((e) => e.kind === "status" || e.kind === "status_error");
    expect(statuses.length).toBeGreaterThan(10);
    for (const e of statuses) {
      expect(e.recipient, JSON.stringify(e)).toBe(e.recipient_id ?? e.recipient_user_id);
      expect(e.recipient).toBeDefined();
    }
  });

  it("never carries an empty recipient_id", () => {
    expect(all.filter((e) => e.recipient_id === "")).toEqual([]);
  });

  it("gives every event with metadata its business number", () => {
    const withMetadata = fixtures.flatMap(([, f]) => {
      const changes = (f.body as { entry: { changes: { value: { metadata?: unknown } }[] }[] }).entry.flatMap(
        (e) => e.changes,
      );
      return changes.some((c) => c.value.metadata) ? normalize(f.body) : [];
    });
    expect(withMetadata.length).toBeGreaterThan(20);
    for (const e of withMetadata) {
      expect(e.phone_number_id, `${e.kind} ${e.id}`).toMatch(/^\d+$/);
      expect(e.display_phone_number, `${e.kind} ${e.id}`).toMatch(/^\d+$/);
    }
  });

  it("turns every error Meta attaches, in any field, into an event with its code", () => {
    const kinds = new Set(all.filter((e) => e.code !== undefined).map((e) => e.kind));
    expect([...kinds].sort()).toEqual(["calls", "history", "message_error", "status_error", "system_error"]);
  });

  it("tags events with the relay's name as source when one is given", () => {
    const [, fixture] = fixtures[0]!;
    expect(normalize(fixture.body, RECEIVED_AT_MS, "acme-bsp").map((e) => e.source)).toEqual(["acme-bsp"]);
    expect(normalize(fixture.body, RECEIVED_AT_MS, "acme-bsp")[0]?.id).toBe(normalize(fixture.body)[0]?.id);
  });
});
