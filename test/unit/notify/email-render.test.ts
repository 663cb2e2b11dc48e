// The alert email's content: subject, both parts, masked numbers, the code's actions, escaped HTML.
import { describe, expect, it } from "vitest";
import { renderEmail } from "../../../src/notify/email/render.js";
import { sampleAlert } from "../../../src/notify/sample.js";

describe("renderEmail", () => {
  const alert = sampleAlert(new Date("2025-03-04T10:15:00Z"));

  it("puts severity, code, title, count, window and the business number in the subject", () => {
    expect(renderEmail(alert, "ops", true).subject).toBe(
      "[CRITICAL] 131048 Spam rate limit hit — 6 in 10m on +1 555 078 3881",
    );
  });

  it("carries the description, meaning, causes, numbered actions, docs link and ids in both parts", () => {
    const { html, text } = renderEmail(alert, "ops", true);
    for (const part of [html, text]) {
      expect(part).toContain("Spam rate limit hit repeatedly on one number");
      expect(part).toContain("https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes");
      expect(part).toContain("spam-rate-limit");
      expect(part).toContain(alert.id);
      expect(part).toContain("2025-03-04 10:06:00 UTC");
    }
    expect(text).toContain("1. Check the number's quality rating in WhatsApp Manager");
    expect(text).toContain("4. Do not retry the failed messages");
    expect(text).toContain("LIKELY CAUSES");
    expect(text).toContain("- Recipients blocking or reporting the number at a high rate");
    expect(html).toContain("What to do");
    expect(html).toContain("Likely causes");
  });

  it("masks recipient numbers unless masking is off", () => {
    const masked = renderEmail(alert, "ops", true);
    expect(masked.html).toContain("+52155****679");
    expect(masked.text).toContain("+52155****679");
    expect(masked.html).not.toContain("5215512345679");
    expect(masked.text).not.toContain("5215512345679");
    expect(renderEmail(alert, "ops", false).text).toContain("5215512345679");
  });

  it("escapes HTML that arrives in error details", () => {
    const evil = structuredClone(alert);
    evil.samples[0]!.details = '<img src=x onerror="alert(1)"> & <b>bold</b>';
    evil.rule.description = "<script>steal()</script>";
    const { html, text } = renderEmail(evil, "ops", true);
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<script>");
    expect(html).toContain(
      "&lt;img src&#x3D;x onerror&#x3D;&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;",
    );
    expect(text).toContain('<img src=x onerror="alert(1)">'); // plain text has nothing to escape
  });

  it("marks resolved alerts and omits the window for every-match rules", () => {
    const resolved = renderEmail({ ...alert, type: "alert.resolved" }, "ops", true);
    expect(resolved.subject).toMatch(/^\[RESOLVED\] /);
    expect(resolved.text).toContain("dropped back below");
    const single = renderEmail({ ...alert, count: 1, window_seconds: 0 }, "ops", true);
    expect(single.subject).toBe("[CRITICAL] 131048 Spam rate limit hit — 1 on +1 555 078 3881");
  });
});
