// What webhook receivers get: SPEC's versioned body, chat-tool payloads, and custom templates.
import { describe, expect, it } from "vitest";
import { notificationJobId } from "../../../src/notify/job.js";
import type { Alert } from "../../../src/model/alert.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { buildWebhookBody } from "../../../src/notify/webhook/body.js";
import { chatPayload } from "../../../src/notify/webhook/formats.js";
import { compileWebhookTemplate } from "../../../src/notify/webhook/template.js";

const alert = sampleAlert(new Date("2025-03-04T10:15:00Z"));

describe("buildWebhookBody", () => {
  it("has SPEC's shape, with masked recipients", () => {
    const body = buildWebhookBody(alert, true, new Date("2025-03-04T10:15:01Z"));
    expect(body).toMatchObject({
      version: 1,
      type: "alert.firing",
      alert: {
        id: alert.id,
        rule: {
          id: "spam-rate-limit",
          description: "Spam rate limit hit repeatedly on one number",
          severity: "critical",
        },
        group: { phone_number_id: "106540352242922" },
        code: 131048,
        title: "Spam rate limit hit",
        count: 6,
        window_seconds: 600,
        first_seen: alert.first_seen,
        last_seen: alert.last_seen,
        meaning: alert.meaning,
        causes: alert.causes,
        actions: alert.actions,
        docs_url: alert.docs_url,
      },
      sent_at: "2025-03-04T10:15:01.000Z",
    });
    expect(body.alert.samples[0]).toMatchObject({
      message_id: alert.samples[0]!.message_id,
      recipient_id: "+52155****679",
      timestamp: alert.samples[0]!.timestamp,
    });
    expect(JSON.stringify(body)).not.toContain("5215512345679");
  });
});

describe("chat formats", () => {
  it("slack: blocks with the headline and every action", () => {
    const p = chatPayload("slack", alert) as { text: string; blocks: { type: string }[] };
    const json = JSON.stringify(p);
    expect(p.text).toBe("[CRITICAL] 131048 Spam rate limit hit — 6 in 10m on +1 555 078 3881");
    expect(p.blocks[0]!.type).toBe("header");
    for (const a of alert.actions) expect(json).toContain(a);
  });

  it("teams: an Adaptive Card message with the headline and every action", () => {
    const p = chatPayload("teams", alert) as {
      type: string;
      attachments: { contentType: string; content: { type: string; body: { text?: string }[] } }[];
    };
    expect(p.type).toBe("message");
    const card = p.attachments[0]!;
    expect(card.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.content.type).toBe("AdaptiveCard");
    const texts = card.content.body.map((b) => b.text ?? "");
    expect(texts[0]).toContain("Spam rate limit hit");
    for (const [i, a] of alert.actions.entries()) expect(texts).toContain(`${i + 1}. ${a}`);
  });

  it("google-chat: text plus a cardsV2 card with the actions", () => {
    const p = chatPayload("google-chat", alert) as { text: string; cardsV2: { card: object }[] };
    expect(p.text).toContain("131048 Spam rate limit hit");
    expect(p.cardsV2).toHaveLength(1);
    const json = JSON.stringify(p.cardsV2[0]!.card);
    expect(json).toContain("What to do");
    expect(json).toContain("Check the number's quality rating in WhatsApp Manager");
  });

  it("escapes markup characters from event text in slack and google-chat", () => {
    const tricky = { ...alert, meaning: "a <b>bold</b> & claim" };
    expect(JSON.stringify(chatPayload("slack", tricky))).toContain("a &lt;b&gt;bold&lt;/b&gt; &amp; claim");
    expect(JSON.stringify(chatPayload("google-chat", tricky))).toContain(
      "a &lt;b&gt;bold&lt;/b&gt; &amp; claim",
    );
  });
});

describe("custom templates", () => {
  const ctx = (a = alert) => ({ ...buildWebhookBody(a, true), channel: "hook", headline: "h" });

  it("stays valid JSON when values hold quotes, backslashes and newlines", () => {
    const render = compileWebhookTemplate(
      '{"summary": "{{alert.title}}: {{alert.rule.description}}", "actions": {{json alert.actions}}, "count": {{alert.count}}, "desc": {{json alert.rule.description}}}',
    );
    const tricky = { ...alert, rule: { ...alert.rule, description: 'He said "stop" \\ now\nplease' } };
    const parsed = JSON.parse(render(ctx(tricky))) as Record<string, unknown>;
    expect(parsed.summary).toBe('Spam rate limit hit: He said "stop" \\ now\nplease');
    expect(parsed.desc).toBe('He said "stop" \\ now\nplease');
    expect(parsed.actions).toEqual(alert.actions);
    expect(parsed.count).toBe(6);
  });

  it("iterates arrays and says clearly when the result is not JSON", () => {
    const list = compileWebhookTemplate(
      '[{{#each alert.actions}}"{{this}}"{{#unless @last}},{{/unless}}{{/each}}]',
    );
    expect(JSON.parse(list(ctx()))).toEqual(alert.actions);
    expect(() => compileWebhookTemplate("{not json {{alert.count}}")(ctx())).toThrow(/valid JSON/);
  });
});

describe("notificationJobId", () => {
  const notifyJobId = (a: Alert, channel: string) => notificationJobId({ alert: a, channel });
  it("is stable per alert and channel, distinct for resolved, and free of colons", () => {
    const a = { ...alert, id: "spam-rate-limit:106540352242922:1700000000" };
    expect(notifyJobId(a, "ops")).toBe(notifyJobId({ ...a }, "ops"));
    expect(notifyJobId(a, "ops")).not.toBe(notifyJobId(a, "forward"));
    expect(notifyJobId(a, "ops")).not.toBe(notifyJobId({ ...a, type: "alert.resolved" }, "ops"));
    expect(notifyJobId(a, "ops")).not.toContain(":");
    expect(notifyJobId({ ...a, id: "12345" }, "ops")).not.toMatch(/^\d+$/);
  });
});

describe("custom templates and braces", () => {
  it("accepts a mustache that closes an object, and triple-stashes", () => {
    const ctx = { ...buildWebhookBody(alert, true), channel: "hook", headline: "h" };
    const render = compileWebhookTemplate('{"a": {"n": {{alert.count}}}, "t": {{{json alert.title}}}}');
    expect(JSON.parse(render(ctx))).toEqual({ a: { n: 6 }, t: "Spam rate limit hit" });
  });
});

describe("json helper on nested values", () => {
  it("writes arrays of objects with their strings intact", () => {
    const tricky = structuredClone(alert);
    tricky.samples[0]!.details = 'quote " and %41 and back\\slash';
    const ctx = { ...buildWebhookBody(tricky, true), channel: "hook", headline: "h" };
    const parsed = JSON.parse(compileWebhookTemplate('{"s": {{json alert.samples}} }')(ctx)) as {
      s: { details: string }[];
    };
    expect(parsed.s[0]!.details).toBe('quote " and %41 and back\\slash');
  });
});
