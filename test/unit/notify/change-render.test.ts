// Account-level alerts say what changed: subject, "What changed" rows, background notes, webhook `facts`;
// samples tables drop columns no sample fills; BSUIDs are shown, phone numbers masked.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Alert } from "../../../src/model/alert.js";
import { alertFacts } from "../../../src/evaluate/alert-facts.js";
import type { Event } from "../../../src/model/event.js";
import { normalizeWhatsApp } from "../../../src/ingest/normalize.js";
import { renderEmail } from "../../../src/notify/email/render.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { buildWebhookBody } from "../../../src/notify/webhook/body.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/webhooks");

function fixtureEvent(name: string, index = 0): Event {
  const { body } = JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as { body: unknown };
  const r = normalizeWhatsApp(body, { receivedAtMs: 1_767_400_000_000, bodyHash: () => "d".repeat(64) });
  if (!r.ok) throw new Error(r.reason);
  return r.events[index]!;
}

/** alertOn is a firing alert of an every-match rule whose crossing event is `event`. */
function alertOn(event: Event, description: string, mask = true): Alert {
  const base = sampleAlert(new Date("2026-01-02T00:00:00Z"));
  const { code: _code, meaning: _meaning, docs_url: _docs, ...rest } = base;
  return {
    ...rest,
    ...(event.code === undefined ? {} : { code: event.code }),
    rule: { id: "r", description, severity: "critical" },
    title: event.title ?? description,
    count: 1,
    window_seconds: 0,
    causes: [],
    actions: [],
    samples: [{ event_id: event.id, timestamp: "2026-01-01T00:00:00.000Z" }],
    facts: alertFacts(event, mask),
    where: { ...(event.waba_id === undefined ? {} : { waba_id: event.waba_id }) },
  };
}

describe("account-level alerts say what changed", () => {
  it("a paused template: PAUSED, the pause step and its length in the subject, Meta's ladder in the body", () => {
    const alert = alertOn(fixtureEvent("42-template-second-pause.json"), "Template paused or disabled");
    const { subject, text, html } = renderEmail(alert, "ops", true);
    expect(subject).toBe(
      "[CRITICAL] Template paused or disabled: template weekly_digest (pt_BR) PAUSED, second pause, 6 h — 1 on WABA 310000000000001",
    );
    expect(text).toContain("WHAT CHANGED\nWebhook field: message_template_status_update\nEvent: PAUSED\n");
    expect(text).toContain("Template: weekly_digest (pt_BR), id 880000000000013");
    expect(text).toContain("Pause: SECOND_PAUSE");
    expect(text).toMatch(
      /GOOD TO KNOW\n- This is the second pause: .*6 hours.*\n- Meta pauses a template .*3 hours/,
    );
    expect(html).toContain("What changed");
    expect(html).toContain("Good to know");
  });

  it("a disabled template says DISABLED, not PAUSED, and that it cannot be sent", () => {
    const { subject, text } = renderEmail(
      alertOn(fixtureEvent("41-template-disabled.json"), "Template"),
      "ops",
      true,
    );
    expect(subject).toContain("template flash_sale (en_US) DISABLED, DISABLED");
    expect(subject).not.toContain("PAUSED");
    expect(text).toContain("(132016)");
  });

  it("a reinstated account names the ban state, and says nothing needs doing", () => {
    const { subject, text } = renderEmail(
      alertOn(fixtureEvent("25-account-update-reinstated.json"), "Account reinstated"),
      "ops",
      true,
    );
    expect(subject).toContain("Account reinstated: DISABLED_UPDATE, ban state REINSTATE");
    expect(text).toContain("Ban state: REINSTATE, March 3, 2026");
    expect(text).toContain("The account was reinstated");
  });

  it("a violation, a restriction, a quality drop, a category change and a rejected name read as such", () => {
    const subject = (file: string) => renderEmail(alertOn(fixtureEvent(file), "X"), "ops", true).subject;
    expect(subject("27-account-update-violation.json")).toContain("X: ACCOUNT_VIOLATION, violation SCAM");
    expect(subject("28-account-update-restriction.json")).toContain(
      "ACCOUNT_RESTRICTION, RESTRICTED_BIZ_INITIATED_MESSAGING, RESTRICTED_ADD_PHONE_NUMBER_ACTION",
    );
    expect(subject("43-template-quality-red.json")).toContain(
      "template flash_sale (en_US), quality YELLOW → RED",
    );
    expect(subject("44-template-category-upcoming.json")).toContain("category UTILITY → MARKETING in 24 h");
    expect(subject("45-template-category-changed.json")).toContain("category UTILITY → MARKETING");
    expect(subject("38-number-name-rejected.json")).toContain(
      '"Best Deals 4 U" REJECTED, NAME_FORMAT_UNACCEPTABLE',
    );
    expect(subject("35-number-quality-legacy-downgrade.json")).toContain(
      "DOWNGRADE, limit TIER_10K → TIER_1K",
    );
    const restriction = renderEmail(
      alertOn(fixtureEvent("28-account-update-restriction.json"), "X"),
      "ops",
      true,
    );
    expect(restriction.text).toContain("Restricted until: 2026-01-08 00:00:00 UTC");
  });

  it("a Flows error-rate alert explains each error type", () => {
    const { subject, text } = renderEmail(
      alertOn(fixtureEvent("47-flows-endpoint-error-rate.json"), "Flow errors"),
      "ops",
      true,
    );
    expect(subject).toContain(
      "ENDPOINT_ERROR_RATE, flow 770000000000001, error rate 18.5% (threshold 10%), ACTIVATED",
    );
    expect(text).toContain("Error types: TIMEOUT, UNEXPECTED_HTTP_STATUS_CODE");
    expect(text).toMatch(/- TIMEOUT: the Flow's endpoint took longer than 10 seconds/);
  });

  it("carries the event's facts in the webhook body: flat, scalar, no id or raw value", () => {
    const event = fixtureEvent("42-template-second-pause.json");
    const body = buildWebhookBody(alertOn(event, "Template"), true);
    expect(body.alert.facts).toMatchObject({
      kind: "message_template_status_update",
      event: "PAUSED",
      "template.name": "weekly_digest",
      "template.pause": "SECOND_PAUSE",
      reason: "NONE",
      waba_id: "310000000000001",
    });
    expect(Object.keys(body.alert.facts ?? {}).filter((k) => k === "id" || k.startsWith("value"))).toEqual(
      [],
    );
    expect(
      Object.values(body.alert.facts ?? {}).every((v) => ["string", "number", "boolean"].includes(typeof v)),
    ).toBe(true);
  });
});

describe("recipients and samples", () => {
  it("masks phone numbers in facts, samples and body, and shows BSUIDs as they are", () => {
    const phone = fixtureEvent("10-bsuid-status-to-phone-contact-ids.json");
    const alert = alertOn(phone, "Delivery");
    alert.samples = [
      { event_id: "e1", timestamp: "2026-01-01T00:00:00.000Z", recipient: "MX.2093847561029384756" },
    ];
    expect(alert.facts).toMatchObject({
      recipient_id: "+54911****100",
      recipient: "+54911****100",
      recipient_user_id: "MX.2093847561029384756",
    });
    const body = buildWebhookBody(alert, true);
    expect(JSON.stringify(body)).not.toContain("5491165432100");
    expect(body.alert.samples[0]?.recipient).toBe("MX.2093847561029384756");
    expect(renderEmail(alert, "ops", true).text).toContain("MX.2093847561029384756");
    expect(alertOn(phone, "Delivery", false).facts?.recipient).toBe("5491165432100");
  });

  it("drops sample columns no sample fills, keeps them when one does", () => {
    const alert = alertOn(fixtureEvent("25-account-update-reinstated.json"), "Account");
    const bare = renderEmail(alert, "ops", true);
    expect(bare.html).not.toContain(">Recipient</th>");
    expect(bare.html).not.toContain(">Details</th>");
    expect(bare.text).toMatch(/RECENT EVENTS \(1 of 1\)\n- 2026-01-01 00:00:00 UTC\n/);
    expect(bare.text).not.toContain("—");

    alert.samples.push({ event_id: "e2", timestamp: "2026-01-01T00:01:00.000Z", recipient: "5215512345678" });
    const mixed = renderEmail(alert, "ops", true);
    expect(mixed.html).toContain(">Recipient</th>");
    expect(mixed.html).not.toContain(">Details</th>");
    expect(mixed.text).toContain("- 2026-01-01 00:00:00 UTC  —\n- 2026-01-01 00:01:00 UTC  +52155****678\n");
  });

  it("leaves per-message alerts without a What changed section", () => {
    const { text, subject } = renderEmail(
      alertOn(fixtureEvent("05-status-failed-131049-callback.json"), "X"),
      "ops",
      true,
    );
    expect(text).not.toContain("WHAT CHANGED");
    expect(subject).toMatch(
      /^\[CRITICAL\] 131049 Message not delivered to keep engagement healthy — 1 on WABA/,
    );
  });
});
