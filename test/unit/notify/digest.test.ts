// A digest as on-call people and other systems receive it: one subject, one table, the guidance once.
import { describe, expect, it } from "vitest";
import type { Alert } from "../../../src/model/alert.js";
import { digestHeadline } from "../../../src/notify/digest-present.js";
import { renderDigestEmail } from "../../../src/notify/email/render.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { buildDigestBody } from "../../../src/notify/webhook/body.js";
import { CARD_ROWS, chatDigestPayload } from "../../../src/notify/webhook/formats-digest.js";
import type { Digest } from "../../../src/model/notification.js";

/** numbered is the sample alert on business number 1555000NNNN, `n` times. */
function numbered(n: number, over: Partial<Alert> = {}): Alert[] {
  return Array.from({ length: n }, (_, i) => {
    const base = sampleAlert(new Date(Date.UTC(2026, 0, 1, 12, 0, i)));
    // first/last seen are the sample's: 9 minutes before, and at, its time.
    const number = `1555000${String(i).padStart(4, "0")}`;
    return {
      ...base,
      id: `alert-${i}`,
      fingerprint: `fp-${i}`,
      group: { phone_number_id: `pn-${i}` },
      where: { waba_id: "102290129340398", phone_number_id: `pn-${i}`, display_phone_number: number },
      ...over,
    };
  });
}

function digest(alerts: Alert[], over: Partial<Digest> = {}): Digest {
  return {
    id: "d-1",
    type: "alert.digest",
    alert_type: "alert.firing",
    group: { rule: "spam-rate-limit" },
    from: "2026-01-01T12:00:00.000Z",
    to: "2026-01-01T12:05:00.000Z",
    count: alerts.length,
    alerts,
    sent_at_once: alerts[0]?.id,
    ...over,
  };
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe("digest email", () => {
  const alerts = numbered(38);
  const mail = renderDigestEmail(digest(alerts), "ops", true, new Date(Date.UTC(2026, 0, 1, 12, 5)));

  it("names in its subject how many more alerts, of which rule, on how many numbers", () => {
    expect(mail.subject).toBe("[CRITICAL] 37 more alerts: spam-rate-limit on 37 numbers");
  });

  it("lists every alert of the interval, the one sent on its own too, with counts and first/last seen", () => {
    for (const text of [mail.html, mail.text]) {
      for (let i = 0; i < 38; i++) expect(text).toContain(`+1 555 000 ${String(i).padStart(4, "0")}`);
      expect(count(text, "6 in 10m")).toBe(38);
    }
    expect(mail.text).toContain("2026-01-01 11:51:37 UTC → 2026-01-01 12:00:37 UTC");
    expect(count(mail.text, "(sent on its own)")).toBe(1);
    expect(count(mail.html, ">sent on its own</div>")).toBe(1);
  });

  it("gives the catalog's meaning and the actions once, not once per alert", () => {
    const meaning = alerts[0]?.meaning as string;
    expect(count(mail.text, meaning)).toBe(1);
    expect(count(mail.text, "Check the number's quality rating in WhatsApp Manager")).toBe(1);
    expect(count(mail.html, "Meta's documentation")).toBe(1);
  });

  it("masks customers' numbers in group values", () => {
    const byRecipient = numbered(3, { group: { recipient_id: "5215512345679" } });
    const m = renderDigestEmail(digest(byRecipient), "ops", true);
    expect(m.text).toContain("recipient_id = +52155****679");
    expect(m.text).not.toContain("5215512345679");
  });

  it("says how many it counted but does not list, past the listing cap", () => {
    const m = renderDigestEmail(digest(numbered(3), { count: 503 }), "ops", true);
    expect(m.text).toContain("… and 500 more alerts, counted but not listed.");
    expect(m.subject).toBe("[CRITICAL] 502 more alerts: spam-rate-limit on 2 numbers");
  });
});

describe("digest headline", () => {
  it("says RESOLVED for resolved alerts, names several rules, and WABAs when there is no number", () => {
    const resolved = numbered(3, { type: "alert.resolved" });
    expect(digestHeadline(digest(resolved, { alert_type: "alert.resolved" }))).toBe(
      "[RESOLVED] 2 more alerts resolved: spam-rate-limit on 2 numbers",
    );
    const rules = ["a", "b", "c", "d"].map(
      (id, i): Alert => ({
        ...sampleAlert(),
        id: `x${i}`,
        rule: { id, description: id, severity: "warning" },
        where: { waba_id: `w${i % 2}` },
      }),
    );
    expect(digestHeadline(digest(rules, { sent_at_once: undefined }))).toBe(
      "[WARNING] 4 more alerts: a, b, c and 1 more rule on 2 WABAs",
    );
  });
});

describe("digest webhook body", () => {
  it("is version 1, type alert.digest, with every alert in the single-alert shape", () => {
    const body = buildDigestBody(digest(numbered(5)), true, new Date(Date.UTC(2026, 0, 1, 12, 5)));
    expect(body).toMatchObject({
      version: 1,
      type: "alert.digest",
      digest: {
        id: "d-1",
        alert_type: "alert.firing",
        group: { rule: "spam-rate-limit" },
        count: 5,
        sent_at_once: "alert-0",
      },
      sent_at: "2026-01-01T12:05:00.000Z",
    });
    expect(body.alerts.map((a) => a.id)).toEqual(["alert-0", "alert-1", "alert-2", "alert-3", "alert-4"]);
    expect(body.alerts[0]).toMatchObject({ rule: { id: "spam-rate-limit" }, code: 131048, count: 6 });
    expect(JSON.stringify(body)).not.toContain("5215512345679");
  });
});

describe("digest chat cards", () => {
  it.each(["slack", "teams", "google-chat"] as const)(
    "%s: headline, a few rows, the rest counted",
    (format) => {
      // Teams' Markdown escapes (\[CRITICAL\]) render as the plain characters, so read past them.
      const text = JSON.stringify(chatDigestPayload(format, digest(numbered(25)), true)).replaceAll("\\\\", "");
      expect(text).toContain("[CRITICAL] 24 more alerts: spam-rate-limit on 24 numbers");
      expect(count(text, "6 in 10m")).toBe(CARD_ROWS);
      expect(text).toContain(`… and ${25 - CARD_ROWS} more`);
      expect(count(text, "Check the number")).toBe(1);
    },
  );
});
