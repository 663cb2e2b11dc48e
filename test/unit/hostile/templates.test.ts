// Template injection: hostile text from webhooks or rules cannot add markup to emails or break webhook JSON.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Alert } from "../../../src/model/alert.js";
import { renderEmail } from "../../../src/notify/email/render.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { buildWebhookBody } from "../../../src/notify/webhook/body.js";
import { chatPayload } from "../../../src/notify/webhook/formats.js";
import { compileWebhookTemplate } from "../../../src/notify/webhook/template.js";
import { headline } from "../../../src/notify/present.js";

const EVIL = `</td></tr><script>alert("x")</script><img src=x onerror='y'>&amp;`;

/** hostile puts `text` in every string an alert carries: from webhooks, rules, the catalog and config. */
function hostile(text: string): Alert {
  const alert = structuredClone(sampleAlert(new Date("2025-03-04T10:15:00Z")));
  alert.id = text;
  alert.title = text;
  alert.rule.id = text;
  alert.rule.description = text;
  alert.meaning = text;
  alert.docs_url = text;
  alert.actions = [text];
  alert.causes = [text];
  alert.group = { ...alert.group, phone_number_id: text, recipient_id: text, [text]: "key" };
  alert.where = { waba_id: text, phone_number_id: text, display_phone_number: text };
  for (const s of alert.samples) {
    s.details = text;
    s.message_id = text;
    s.recipient_id = text;
    s.phone_number_id = text;
    s.timestamp = text;
  }
  return alert;
}

describe("email HTML escapes hostile text", () => {
  it.each([true, false])("in every text of the alert and the channel name (masking %s)", (mask) => {
    const { html } = renderEmail(hostile(EVIL), EVIL, mask);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("</td></tr><script");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });

  it("for any text: no tag the template did not write appears in the HTML", () => {
    const baseline = renderEmail(hostile("plain"), "plain", false).html;
    const tagCount = (html: string) => (html.match(/</g) ?? []).length;
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), fc.boolean(), (text, mask) => {
        const { html } = renderEmail(hostile(`<${text}`), `<${text}`, mask);
        expect(tagCount(html)).toBe(tagCount(baseline));
      }),
      { numRuns: 200 },
    );
  });
});

describe("webhook bodies stay valid JSON whatever a rule description or error text holds", () => {
  const texts = fc.oneof(
    fc.string({ unit: "binary", maxLength: 80 }),
    fc.constantFrom(
      `"}, "version": 2, "x": {"`,
      "line\nbreak\r\n\t",
      "\\",
      "\u2028\u2029",
      "{{alert.id}}",
      "}}}",
      EVIL,
    ),
  );

  it("the versioned json body round-trips every string unchanged", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const body = JSON.parse(JSON.stringify(buildWebhookBody(hostile(text), true)));
        expect(body.version).toBe(1);
        expect(body.alert.rule.description).toBe(text);
        expect(body.alert.title).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it("chat formats (slack, teams, google-chat) always serialize to JSON", () => {
    fc.assert(
      fc.property(texts, fc.constantFrom("slack", "teams", "google-chat" as const), (text, format) => {
        const parsed = JSON.parse(JSON.stringify(chatPayload(format, hostile(text))));
        expect(typeof parsed).toBe("object");
      }),
      { numRuns: 150 },
    );
  });

  it("a custom Handlebars template quoting the description cannot be broken out of", () => {
    const render = compileWebhookTemplate(
      '{"text": "{{alert.rule.description}}", "title": "{{alert.title}}", "head": "{{headline}}", "actions": {{json alert.actions}}}',
    );
    fc.assert(
      fc.property(texts, (text) => {
        const alert = hostile(text);
        const out = JSON.parse(
          render({ ...buildWebhookBody(alert, true), channel: "forward", headline: headline(alert) }),
        );
        expect(Object.keys(out).sort()).toEqual(["actions", "head", "text", "title"]);
        expect(out.text).toBe(text);
        expect(out.actions).toEqual([text]);
      }),
      { numRuns: 200 },
    );
  });
});
