// The webhook notifier against a real local HTTP receiver: body, signature, headers, classification.
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { WebhookChannelConfig } from "../../../src/config/schema.js";
import { buildNotifiers } from "../../../src/notify/registry.js";
import { sampleAlert, sampleDigest } from "../../../src/notify/sample.js";
import { silentLog, testConfig, webhookChannel } from "../../fixtures/notify/config.js";
import { type HttpReceiver, type ScriptedResponse, startHttpReceiver } from "../../helpers/http-receiver.js";
import type { SendResult } from "../../../src/model/notification.js";

let receiver: HttpReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function sendOnce(
  script: ScriptedResponse[],
  extra: Partial<WebhookChannelConfig> = {},
): Promise<SendResult> {
  receiver = await startHttpReceiver(script);
  const notifiers = buildNotifiers(testConfig({ hook: webhookChannel(receiver.url, extra) }), silentLog);
  try {
    return await notifiers.get("hook")!.send({ alert: sampleAlert(), channel: "hook" });
  } finally {
    await notifiers.get("hook")!.close();
  }
}

describe("webhook notifier", () => {
  it("POSTs a digest as one signed alert.digest body, keyed per digest and channel; a template sees its alerts", async () => {
    receiver = await startHttpReceiver([{ status: 200 }]);
    const template = '{"text": "{{headline}}", "first": "{{alerts.0.id}}", "n": {{json digest.count}}}';
    const config = testConfig({
      hook: webhookChannel(receiver.url, { secret: "k" }),
      chat: webhookChannel(receiver.url, { template }),
    });
    const notifiers = buildNotifiers(config, silentLog);
    const digest = sampleDigest();
    try {
      expect(await notifiers.get("hook")!.send({ digest, channel: "hook" })).toEqual({
        kind: "ok",
        detail: "HTTP 200",
      });
      expect((await notifiers.get("chat")!.send({ digest, channel: "chat" })).kind).toBe("ok");
    } finally {
      for (const n of notifiers.values()) await n.close();
    }
    const [json, custom] = receiver.requests;
    const body = JSON.parse(json!.text) as {
      type: string;
      digest: { id: string; count: number };
      alerts: unknown[];
    };
    expect(body).toMatchObject({ version: 1, type: "alert.digest", digest: { id: digest.id, count: 12 } });
    expect(body.alerts).toHaveLength(12);
    expect(json!.headers["idempotency-key"]).toBe(`digest-${digest.id}-hook`);
    expect(json!.headers["x-waba-alerts-signature"]).toBe(
      `sha256=${createHmac("sha256", "k").update(json!.body).digest("hex")}`,
    );
    expect(JSON.parse(custom!.text)).toEqual({
      text: "[CRITICAL] 11 more alerts: spam-rate-limit on 11 numbers",
      first: digest.alerts[0]!.id,
      n: 12,
    });
  });

  it("POSTs SPEC's signed JSON body with the idempotency key, user agent and custom headers", async () => {
    const result = await sendOnce([{ status: 202 }], { secret: "s3cret", headers: { "X-Tenant": "acme" } });
    expect(result).toEqual({ kind: "ok", detail: "HTTP 202" });
    const [req] = receiver!.requests;
    expect(req!.method).toBe("POST");
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(req!.headers["user-agent"]).toMatch(/^waba-alerts\/\d+\.\d+\.\d+/);
    expect(req!.headers["x-tenant"]).toBe("acme");
    const body = JSON.parse(req!.text) as {
      version: number;
      type: string;
      alert: { id: string; samples: { recipient_id: string }[] };
    };
    expect(body.version).toBe(1);
    expect(body.type).toBe("alert.firing");
    expect(body.alert.samples[0]!.recipient_id).toBe("+52155****679");
    expect(req!.headers["idempotency-key"]).toBe(`${body.alert.id}-hook`);
    const expected = `sha256=${createHmac("sha256", "s3cret").update(req!.body).digest("hex")}`;
    expect(req!.headers["x-waba-alerts-signature"]).toBe(expected);
  });

  it("sends no signature when the channel has no secret", async () => {
    await sendOnce([{ status: 200 }]);
    expect(receiver!.requests[0]!.headers["x-waba-alerts-signature"]).toBeUndefined();
  });

  it("classifies 500 and 408 as retryable, 429 with its Retry-After, 400 and 404 as permanent", async () => {
    expect(await sendOnce([{ status: 500, body: "oops" }])).toEqual({
      kind: "retryable",
      error: "HTTP 500 Internal Server Error: oops",
    });
    await receiver!.close();
    expect((await sendOnce([{ status: 408 }])).kind).toBe("retryable");
    await receiver!.close();
    expect(await sendOnce([{ status: 429, headers: { "Retry-After": "7" } }])).toMatchObject({
      kind: "retryable",
      retryAfterMs: 7000,
    });
    await receiver!.close();
    expect(await sendOnce([{ status: 400, body: "bad field" }])).toEqual({
      kind: "permanent",
      error: "HTTP 400 Bad Request: bad field",
    });
    await receiver!.close();
    expect((await sendOnce([{ status: 404 }])).kind).toBe("permanent");
  });

  it("gives up on a slow receiver after the channel timeout, retryably", async () => {
    const started = Date.now();
    const result = await sendOnce([{ status: 200, delayMs: 2000 }], { timeout: "300ms" });
    expect(result).toEqual({ kind: "retryable", error: "no response within 300 ms" });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("calls a refused connection retryable", async () => {
    receiver = await startHttpReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const notifiers = buildNotifiers(testConfig({ hook: webhookChannel(url) }), silentLog);
    expect((await notifiers.get("hook")!.send({ alert: sampleAlert(), channel: "hook" })).kind).toBe(
      "retryable",
    );
  });

  it.each(["slack", "teams", "google-chat"] as const)(
    "posts valid %s JSON carrying the title and actions",
    async (format) => {
      await sendOnce([{ status: 200 }], { format });
      const text = receiver!.requests[0]!.text;
      expect(() => JSON.parse(text)).not.toThrow();
      expect(text).toContain("Spam rate limit hit");
      expect(text).toContain("Check the number's quality rating in WhatsApp Manager");
    },
  );

  it("renders a custom template into valid JSON, and fails permanently when it cannot", async () => {
    await sendOnce([{ status: 200 }], {
      template: '{"text": "{{headline}}", "actions": {{json alert.actions}}}',
    });
    const body = JSON.parse(receiver!.requests[0]!.text) as { text: string; actions: string[] };
    expect(body.text).toContain("[CRITICAL] 131048");
    expect(body.actions).toHaveLength(4);
    await receiver!.close();
    const broken = await sendOnce([{ status: 200 }], { template: "{{#each}" });
    expect(broken.kind).toBe("permanent");
    expect(receiver!.requests).toHaveLength(0);
  });
});
