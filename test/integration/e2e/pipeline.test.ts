// End to end in one process: signed webhook → events queue → rules → alert history → email at a real SMTP
// server and a signed JSON POST at a real HTTP receiver, with the shipped default rules.
import { quiesce } from "../../helpers/engine.js";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlertHistory } from "../../../src/alerts/history.js";
import type { App } from "../../../src/app.js";
import { signBody } from "../../../src/shared/hmac.js";
import { startApp } from "../../helpers/app.js";
import { startHttpReceiver, type HttpReceiver } from "../../helpers/http-receiver.js";
import { startSmtpServer, type SmtpTestServer } from "../../helpers/smtp.js";

const SECRET = "e2e_app_secret";
const FORWARD_SECRET = "forward-secret";
const PREFIX = `t-e2e-${randomBytes(4).toString("hex")}`;

let app: App;
let smtp: SmtpTestServer;
let receiver: HttpReceiver;
let redis: Redis;
let outbox: string;
let seq = 0;
let firstBurst: Buffer;

function failedBody(phoneNumberId: string, count: number, code = 131048): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const statuses = Array.from({ length: count }, (_, i) => ({
    id: `wamid.E2E${PREFIX}${seq++}`,
    status: "failed",
    timestamp: String(now - count + i),
    recipient_id: `5215512345${String(600 + i)}`,
    errors: [
      {
        code,
        title: "Spam rate limit hit",
        message: "Spam rate limit hit",
        error_data: { details: "<b>blocked</b>" },
      },
    ],
  }));
  return Buffer.from(
    JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "102290129340398",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
                statuses,
              },
            },
          ],
        },
      ],
    }),
  );
}

async function post(body: Buffer): Promise<number> {
  const res = await app.server!.inject({
    method: "POST",
    url: "/webhooks/whatsapp",
    headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, SECRET) },
    payload: body,
  });
  return res.statusCode;
}

async function alertsFor(rule: string) {
  return createAlertHistory(redis, PREFIX, 1000).list({ limit: 100, rule });
}

/** settle waits until every accepted batch was evaluated and every notification attempted. */
async function settle(): Promise<void> {
  await quiesce(PREFIX);
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = await startHttpReceiver([{ status: 500 }, { status: 503 }, { status: 200 }]);
  redis = new Redis("redis://127.0.0.1:6379");
  outbox = mkdtempSync(join(tmpdir(), "waba-e2e-"));
  const text = `
server: { port: 0, host: 127.0.0.1 }
redis: { prefix: ${PREFIX} }
whatsapp: { app_secret: ${SECRET}, verify_token: v }
rules: { paths: [${resolve("rules")}], watch: false }
email: { smtp: "${smtp.url}", outbox: ${outbox} }
channels:
  ops: { type: email, to: [oncall@example.com] }
  forward: { type: webhook, url: "${receiver.url}/alerts", secret: ${FORWARD_SECRET} }
defaults: { notify: [ops, forward] }
notify: { attempts: 5, backoff: 50ms, max_backoff: 200ms }
`;
  app = await startApp("e2e.yaml", text);
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
  await receiver?.close();
  const keys = await redis.keys(`*${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  rmSync(outbox, { recursive: true, force: true });
});

describe("signed webhook to email and forwarded JSON", () => {
  it("6 × 131048 on one number → one email and one signed POST, with 131048's actions", async () => {
    const started = Date.now();
    firstBurst = failedBody("106540352242922", 6);
    expect(await post(firstBurst)).toBe(200);
    const [mail] = await smtp.waitForMessages(1, 5000);
    const emailMs = Date.now() - started;
    expect(mail?.subject).toMatch(/^\[CRITICAL\] 131048 .* — 6 in 10m on \+1 555 078 3881$/);
    expect(mail?.text).toContain("quality rating");
    expect(mail?.html).toContain("&lt;b&gt;blocked&lt;/b&gt;");
    expect(mail?.text).not.toContain("5215512345600");
    expect(emailMs).toBeLessThan(3000);

    // The receiver answers 500, then 503, then 200: delayed, never lost, delivered once.
    const requests = await receiver.waitForRequests(3, 5000);
    await settle();
    expect(receiver.requests).toHaveLength(3);
    const last = requests[2]!;
    expect(last.headers["x-waba-alerts-signature"]).toBe(
      `sha256=${createHmac("sha256", FORWARD_SECRET).update(last.body).digest("hex")}`,
    );
    expect(new Set(requests.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    const body = JSON.parse(last.text);
    expect(body).toMatchObject({
      version: 1,
      type: "alert.firing",
      alert: { rule: { id: "spam-rate-limit" }, code: 131048, count: 6 },
    });
    expect(body.alert.actions.join(" ")).toContain("quality rating");

    const history = await alertsFor("spam-rate-limit");
    expect(history).toHaveLength(1);
    expect(history[0]?.alert.count).toBe(6);
  });

  it("5 on another number fire nothing, and the same 6 posted again add nothing", async () => {
    expect(await post(failedBody("106540352240005", 5))).toBe(200);
    expect(await post(firstBurst)).toBe(200);
    await settle();
    expect(await alertsFor("spam-rate-limit")).toHaveLength(1);
    expect(smtp.messages).toHaveLength(1);
  });

  it("rejects a bad signature and enqueues nothing", async () => {
    const res = await app.server!.inject({
      method: "POST",
      url: "/webhooks/whatsapp",
      headers: { "content-type": "application/json", "x-hub-signature-256": "sha256=00" },
      payload: failedBody("106540352249999", 6),
    });
    expect(res.statusCode).toBe(401);
    await settle();
    expect(await alertsFor("spam-rate-limit")).toHaveLength(1);
  });
});
