// Meta webhook bodies → events: the shared sample payloads against golden files, plus the shapes Meta varies.
import { sharedPath } from "../../helpers/shared.js";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Event } from "../../../src/model/event.js";
import { sha256Hex } from "../../../src/ingest/ids.js";
import { normalizeWhatsApp } from "../../../src/ingest/normalize.js";

const PAYLOADS = sharedPath("whatsapp/payloads");
const GOLDEN = join(import.meta.dirname, "../../fixtures/golden/ingest");
const RECEIVED_AT_MS = 1_767_300_000_000;
const ctx = { receivedAtMs: RECEIVED_AT_MS, bodyHash: () => "b".repeat(64) };

function events(body: unknown, c = ctx): Event[] {
  const r = normalizeWhatsApp(body, c);
  if (!r.ok) throw new Error(`expected events, got: ${r.reason}`);
  return r.events;
}

function envelope(...entries: unknown[]): unknown {
  return { object: "whatsapp_business_account", entry: entries };
}

function messagesChange(value: Record<string, unknown>): unknown {
  const metadata = { display_phone_number: "15550100001", phone_number_id: "200000000000001" };
  return { field: "messages", value: { messaging_product: "whatsapp", metadata, ...value } };
}

function status(id: string, state: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, status: state, timestamp: "1767225660", recipient_id: "5215512345678", ...extra };
}

const FAILED_131048 = {
  code: 131048,
  title: "Spam rate limit hit",
  message: "Spam rate limit hit",
  error_data: { details: "Message failed to send because there are restrictions" },
  href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
};

describe("sample payloads normalize to their golden events", () => {
  const files = readdirSync(PAYLOADS).filter((f) => f.endsWith(".json"));
  it.each(files)("%s", (file) => {
    const raw = readFileSync(join(PAYLOADS, file));
    const got = events(JSON.parse(raw.toString("utf8")), {
      receivedAtMs: RECEIVED_AT_MS,
      bodyHash: () => sha256Hex(raw),
    });
    const golden = join(GOLDEN, file.replace(/\.json$/, ".events.json"));
    if (process.env.UPDATE_GOLDEN === "1") {
      writeFileSync(golden, `${JSON.stringify(got, null, 2)}\n`);
    }
    expect(existsSync(golden), `${golden} missing: run with UPDATE_GOLDEN=1, then review it`).toBe(true);
    expect(got).toEqual(JSON.parse(readFileSync(golden, "utf8")));
  });
});

describe("messages field", () => {
  it("normalizes every status of every change of every entry, in body order", () => {
    const entry = (waba: string) => ({
      id: waba,
      changes: [0, 1].map((c) =>
        messagesChange({
          statuses: [0, 1, 2].map((s) => status(`wamid.${waba}.${c}.${s}`, "delivered")),
        }),
      ),
    });
    const got = events(envelope(entry("111"), entry("222")));
    expect(got).toHaveLength(12);
    expect(got.map((e) => e.message_id)).toEqual(
      ["111", "222"].flatMap((w) => [0, 1].flatMap((c) => [0, 1, 2].map((s) => `wamid.${w}.${c}.${s}`))),
    );
    expect(new Set(got.map((e) => e.id)).size).toBe(12);
    expect(got.every((e) => e.kind === "status" && e.code === undefined)).toBe(true);
  });

  it("makes one status_error event per error of a failed status", () => {
    const second = { ...FAILED_131048, code: 131026, title: "Message undeliverable" };
    const got = events(
      envelope({
        id: "1",
        changes: [
          messagesChange({ statuses: [status("w1", "failed", { errors: [FAILED_131048, second] })] }),
        ],
      }),
    );
    expect(got.map((e) => [e.kind, e.code, e.status])).toEqual([
      ["status_error", 131048, "failed"],
      ["status_error", 131026, "failed"],
    ]);
    expect(got[0]?.details).toBe("Message failed to send because there are restrictions");
    expect(got[0]?.id).not.toBe(got[1]?.id);
  });

  it("reads string error codes as integers and tolerates errors without href or error_data", () => {
    const got = events(
      envelope({
        id: "1",
        changes: [
          messagesChange({
            statuses: [status("w1", "failed", { errors: [{ code: "131048", title: "Spam" }] })],
          }),
        ],
      }),
    );
    expect(got[0]).toMatchObject({ code: 131048, title: "Spam" });
    expect(got[0]).not.toHaveProperty("href");
    expect(got[0]).not.toHaveProperty("details");
  });

  it("carries pricing, conversation and callback data, with string timestamps as unix seconds", () => {
    const got = events(
      envelope({
        id: "1",
        changes: [
          messagesChange({
            statuses: [
              status("w1", "sent", {
                biz_opaque_callback_data: "tenant=acme",
                conversation: { id: "c1", expiration_timestamp: "1767312060", origin: { type: "marketing" } },
                pricing: { billable: true, pricing_model: "PMP", category: "marketing", type: "regular" },
              }),
            ],
          }),
        ],
      }),
    );
    expect(got[0]).toMatchObject({
      kind: "status",
      timestamp: 1767225660,
      biz_opaque_callback_data: "tenant=acme",
      conversation: { id: "c1", expiration_timestamp: 1767312060, origin: { type: "marketing" } },
      pricing: { billable: true, pricing_model: "PMP", category: "marketing", type: "regular" },
    });
  });

  it("falls back to entry.time, then to the time the request was received", () => {
    const noTime = { id: "w1", status: "delivered", recipient_id: "1" };
    const withEntryTime = events(
      envelope({ id: "1", time: 1767220000, changes: [messagesChange({ statuses: [noTime] })] }),
    );
    const withNothing = events(envelope({ id: "1", changes: [messagesChange({ statuses: [noTime] })] }));
    expect(withEntryTime[0]?.timestamp).toBe(1767220000);
    expect(withNothing[0]?.timestamp).toBe(RECEIVED_AT_MS / 1000);
  });

  it("gives a body with no statuses, messages or errors zero events", () => {
    expect(events(envelope({ id: "1", changes: [messagesChange({ statuses: [] })] }))).toEqual([]);
    expect(
      events(
        envelope({
          id: "1",
          changes: [messagesChange({ messages: [{ from: "1", id: "m", type: "text" }] })],
        }),
      ),
    ).toEqual([]);
  });
});

describe("account-level fields", () => {
  const change = (field: string, value: unknown) => ({ field, value });

  it("converts a millisecond entry.time (Gupshup) to seconds and ignores a top-level gs_app_id", () => {
    const body = {
      gs_app_id: "abc",
      ...(envelope({
        id: "1",
        time: 1767226000123,
        changes: [change("account_update", { event: "PARTNER_ADDED" })],
      }) as object),
    };
    expect(events(body)[0]).toMatchObject({
      kind: "account_update",
      event: "PARTNER_ADDED",
      timestamp: 1767226000,
    });
  });

  it("routes Meta's mislabelled quality update by its keys", () => {
    const value = {
      previous_quality_score: "GREEN",
      new_quality_score: "YELLOW",
      message_template_id: 900000000000001,
      message_template_name: "spring_sale_offer",
      message_template_language: "es_MX",
    };
    const got = events(
      envelope({ id: "1", time: 1767226000, changes: [change("message_template_status_update", value)] }),
    );
    expect(got[0]).toMatchObject({
      kind: "message_template_quality_update",
      template: { id: "900000000000001", name: "spring_sale_offer", language: "es_MX" },
      quality: { previous: "GREEN", new: "YELLOW" },
      value,
    });
  });

  it("keeps unknown fields (Gupshup's platform-event too) and unknown enum values with the raw value", () => {
    const got = events(
      envelope({
        id: "1",
        time: 1767226000,
        changes: [
          change("platform-event", { type: "connectivity-check" }),
          change("message_template_status_update", { event: "UNARCHIVED", message_template_id: 5 }),
        ],
      }),
    );
    expect(got[0]).toMatchObject({ kind: "platform-event", value: { type: "connectivity-check" } });
    expect(got[1]).toMatchObject({
      kind: "message_template_status_update",
      event: "UNARCHIVED",
      template: { id: "5" },
    });
  });

  it("tolerates field and object written inside value", () => {
    const value = { field: "account_update", object: "whatsapp_business_account", event: "ACCOUNT_DELETED" };
    const got = events(envelope({ id: "1", time: 1767226000, changes: [{ value }] }));
    expect(got[0]).toMatchObject({ kind: "account_update", event: "ACCOUNT_DELETED" });
  });

  it("names the phone number of an account alert about one number", () => {
    const value = {
      entity_type: "PHONE_NUMBER",
      entity_id: "200000000000001",
      alert_info: { alert_severity: "CRITICAL" },
    };
    const got = events(envelope({ id: "1", time: 1767226000, changes: [change("account_alerts", value)] }));
    expect(got[0]).toMatchObject({ phone_number_id: "200000000000001", alert: { severity: "CRITICAL" } });
  });
});

describe("stable ids", () => {
  const raw = readFileSync(join(PAYLOADS, "01-status-failed-131049.json"), "utf8");

  it("gives a redelivery the same ids, whenever it arrives", () => {
    const first = events(JSON.parse(raw), { receivedAtMs: 1, bodyHash: () => "h1" });
    const again = events(JSON.parse(raw), { receivedAtMs: 999_999_999, bodyHash: () => "h2" });
    expect(again.map((e) => e.id)).toEqual(first.map((e) => e.id));
    expect(first[0]?.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("gives account changes the same id when only key order differs", () => {
    const a = envelope({
      id: "1",
      time: 5,
      changes: [{ field: "account_update", value: { event: "X", country: "MX" } }],
    });
    const b = envelope({
      id: "1",
      time: 5,
      changes: [{ value: { country: "MX", event: "X" }, field: "account_update" }],
    });
    expect(events(a)[0]?.id).toBe(events(b)[0]?.id);
  });

  it("gives different statuses of one message different ids", () => {
    const change = messagesChange({
      statuses: [status("w1", "sent"), status("w1", "delivered"), status("w1", "read"), status("w2", "sent")],
    });
    const ids = events(envelope({ id: "1", changes: [change] })).map((e) => e.id);
    expect(new Set(ids).size).toBe(4);
  });

  it("identifies value-level errors by body and position", () => {
    const body = envelope({ id: "1", changes: [messagesChange({ errors: [FAILED_131048, FAILED_131048] })] });
    const [a, b] = events(body, { receivedAtMs: 1, bodyHash: () => "h1" });
    const [c] = events(body, { receivedAtMs: 2, bodyHash: () => "h1" });
    const [d] = events(body, { receivedAtMs: 1, bodyHash: () => "h2" });
    expect(a?.kind).toBe("system_error");
    expect(a?.id).not.toBe(b?.id);
    expect(c?.id).toBe(a?.id);
    expect(d?.id).not.toBe(a?.id);
  });
});

describe("bodies that are not a WhatsApp envelope", () => {
  it.each([
    ["a string", "hello", /not a JSON object/],
    ["an array", [1, 2], /not a JSON object/],
    ["null", null, /not a JSON object/],
    ["another platform", { object: "page", entry: [] }, /"object"/],
    ["no entry", { object: "whatsapp_business_account" }, /"entry"/],
    ["entry not an array", { object: "whatsapp_business_account", entry: {} }, /"entry"/],
    ["an entry that is not an object", envelope(5), /entry\[0\]/],
    ["changes not an array", envelope({ id: "1", changes: "x" }), /entry\[0\]\.changes/],
    [
      "a change without a value",
      envelope({ id: "1", changes: [{ field: "messages" }] }),
      /changes\[0\]\.value/,
    ],
  ])("refuses %s with a reason", (_name, body, reason) => {
    const r = normalizeWhatsApp(body, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
