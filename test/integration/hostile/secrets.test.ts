// Secrets never reach logs, error messages or API answers; customer phone numbers are masked in logs.
import { execFileSync } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { InjectOptions } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRedis } from "../../../src/queue/redis-check.js";
import { signBody } from "../../../src/shared/hmac.js";
import { buildNotifiers } from "../../../src/notify/registry.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { renderEmail } from "../../../src/notify/email/render.js";
import { buildWebhookBody } from "../../../src/notify/webhook/body.js";
import { chatPayload } from "../../../src/notify/webhook/formats.js";
import { REDACT, REDACTED_PATHS } from "../../../src/shared/logger.js";
import { startHttpReceiver } from "../../helpers/http-receiver.js";
import { startSmtpServer } from "../../helpers/smtp.js";
import { buildHarness, type Harness, hostileConfig, leakedSecrets, SECRETS } from "./harness.js";

const BODY = JSON.stringify({
  object: "whatsapp_business_account",
  entry: [
    {
      id: "1",
      changes: [
        {
          field: "messages",
          value: {
            statuses: [
              { id: "w1", status: "failed", recipient_id: "5215512345679", errors: [{ code: 131048 }] },
            ],
          },
        },
      ],
    },
  ],
});

function capture(): { lines: string[]; log: pino.Logger } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: pino({ level: "trace", redact: REDACT }, stream) };
}

describe("secrets stay secret", () => {
  let h: Harness;
  const answers: string[] = [];
  beforeAll(async () => {
    h = await buildHarness();
  });
  afterAll(async () => {
    await h.app.close();
  });

  it("appear in no response and no log line across every kind of request", async () => {
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    const requests: InjectOptions[] = [
      {
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: BODY,
        headers: { "x-hub-signature-256": signBody(BODY, SECRETS.appSecret) },
      },
      {
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: BODY,
        headers: { "x-hub-signature-256": "sha256=00" },
      },
      {
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: "{",
        headers: { "x-hub-signature-256": signBody("{", SECRETS.appSecret) },
      },
      {
        method: "GET",
        url: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${SECRETS.verifyToken}&hub.challenge=42`,
      },
      { method: "GET", url: "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=42" },
      {
        method: "POST",
        url: "/events",
        payload: '{"code":1}',
        headers: { ...auth(SECRETS.ingestToken), "content-type": "application/json" },
      },
      {
        method: "POST",
        url: "/events",
        payload: '{"code":1}',
        headers: { ...auth("wrong"), "content-type": "application/json" },
      },
      { method: "GET", url: "/api/rules", headers: auth(SECRETS.adminToken) },
      { method: "GET", url: "/api/alerts", headers: auth(SECRETS.adminToken) },
      { method: "GET", url: "/api/silences", headers: auth(SECRETS.adminToken) },
      { method: "GET", url: "/api/dead-letters", headers: auth(SECRETS.adminToken) },
      { method: "GET", url: "/api/rules", headers: auth(SECRETS.ingestToken) },
      { method: "GET", url: "/metrics" },
      { method: "GET", url: "/readyz" },
    ];
    for (const r of requests) {
      const res = await h.app.inject(r);
      answers.push(JSON.stringify(res.headers), res.body);
    }
    h.failEnqueue.on = true;
    const res = await h.app.inject(requests[0] as InjectOptions);
    expect(res.statusCode).toBe(503);
    answers.push(res.body);
    expect(h.logs.length).toBeGreaterThan(3);
    expect(leakedSecrets(answers.join("\n"))).toEqual([]);
    // The GET handshake carries the verify token in its URL; the request log is off, so it is never written.
    expect(leakedSecrets(h.logs.join("\n"))).toEqual([]);
  });

  it("are redacted, and customer numbers masked, in whatever a log call is handed", () => {
    const { lines, log } = capture();
    const alert = sampleAlert(new Date("2025-03-04T10:15:00Z"));
    log.info(
      { alert: alert.id, rule: alert.rule.id, group: { recipient_id: "5215512345679" }, count: 6 },
      "alert fired",
    );
    log.info({ samples: [{ recipient_id: "5215512345679" }], recipient_id: "5215512345679" }, "sample");
    log.info(
      {
        token: SECRETS.adminToken,
        config: { password: SECRETS.smtpPassword, secret: SECRETS.forwardSecret },
      },
      "x",
    );
    log.info(
      {
        headers: { authorization: `Bearer ${SECRETS.ingestToken}` },
        whatsapp: { app_secret: SECRETS.appSecret },
      },
      "y",
    );
    const text = lines.join("");
    expect(leakedSecrets(text)).toEqual([]);
    expect(text).not.toContain("5215512345679");
    expect(text).toContain("+52155****679");
  });

  it("the SMTP password from the URL is in no delivery error, refused connection or a real server", async () => {
    const smtp = await startSmtpServer();
    const { lines, log } = capture();
    try {
      for (const port of [1, smtp.port]) {
        const config = hostileConfig();
        config.email.smtp = `smtp://alerts:${SECRETS.smtpPassword}@127.0.0.1:${port}?connectionTimeout=2000`;
        const notifiers = buildNotifiers(config, log);
        const result = await notifiers.get("ops")?.send({ alert: sampleAlert(), channel: "ops" });
        for (const n of notifiers.values()) await n.close();
        if (port === 1) expect(result?.kind).toBe("retryable");
        expect(leakedSecrets(JSON.stringify(result))).toEqual([]);
      }
      expect(leakedSecrets(lines.join(""))).toEqual([]);
    } finally {
      await smtp.close();
    }
  });

  it("the webhook channel secret signs the body but is never sent", async () => {
    const receiver = await startHttpReceiver();
    try {
      const config = hostileConfig();
      const forward = config.channels.forward;
      if (forward?.type !== "webhook") throw new Error("forward must be a webhook channel");
      config.channels.forward = { ...forward, url: receiver.url };
      const notifiers = buildNotifiers(config, capture().log);
      expect((await notifiers.get("forward")?.send({ alert: sampleAlert(), channel: "forward" }))?.kind).toBe(
        "ok",
      );
      const [req] = await receiver.waitForRequests(1);
      expect(leakedSecrets(JSON.stringify(req?.headers) + req?.text)).toEqual([]);
      expect(req?.text).not.toContain("5215512345679");
    } finally {
      await receiver.close();
    }
  });

  it("a Redis password is hidden in the start-up error", async () => {
    const err = await checkRedis(`redis://user:${SECRETS.smtpPassword}@127.0.0.1:1`).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("127.0.0.1:1");
    expect(leakedSecrets((err as Error).message)).toEqual([]);
  });
});

describe("log redaction, path by path", () => {
  const signature = signBody(BODY, SECRETS.appSecret);
  const bearer = `Bearer ${SECRETS.ingestToken}`;
  // One case per entry of REDACTED_PATHS: the path, a log object with a secret there, and that secret.
  const cases: Array<[string, object, string]> = [
    ["app_secret", { app_secret: SECRETS.appSecret }, SECRETS.appSecret],
    ["secret", { secret: SECRETS.forwardSecret }, SECRETS.forwardSecret],
    ["token", { token: SECRETS.adminToken }, SECRETS.adminToken],
    ["password", { password: SECRETS.smtpPassword }, SECRETS.smtpPassword],
    ["authorization", { authorization: bearer }, SECRETS.ingestToken],
    ["*.app_secret", { whatsapp: { app_secret: SECRETS.appSecret } }, SECRETS.appSecret],
    ["*.secret", { channel: { secret: SECRETS.forwardSecret } }, SECRETS.forwardSecret],
    ["*.token", { admin: { token: SECRETS.adminToken } }, SECRETS.adminToken],
    ["*.password", { smtp: { password: SECRETS.smtpPassword } }, SECRETS.smtpPassword],
    ["*.authorization", { headers: { authorization: bearer } }, SECRETS.ingestToken],
    ["req.headers.authorization", { req: { headers: { authorization: bearer } } }, SECRETS.ingestToken],
    [
      'req.headers["x-hub-signature-256"]',
      { req: { headers: { "x-hub-signature-256": signature } } },
      signature.slice("sha256=".length),
    ],
  ];

  it("has a case for every redacted path", () => {
    expect(cases.map(([path]) => path).sort()).toEqual([...REDACTED_PATHS].sort());
  });

  it.each(cases)("redacts %s", (_path, fields, secret) => {
    const { lines, log } = capture();
    log.info(fields, "line");
    const text = lines.join("");
    expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });

  it("the process logger (createLogger, writing to stdout) redacts and masks too", () => {
    const root = fileURLToPath(new URL("../../../", import.meta.url));
    const script = `
      const { createLogger } = await import(process.argv[1]);
      const log = createLogger("info");
      log.info(JSON.parse(process.argv[2]), "secrets");
      log.flush();`;
    const fields = {
      token: SECRETS.adminToken,
      whatsapp: { app_secret: SECRETS.appSecret },
      req: { headers: { authorization: `Bearer ${SECRETS.ingestToken}` } },
      group: { recipient_id: "5215512345679" },
    };
    const out = execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        script,
        `${root}src/shared/logger.ts`,
        JSON.stringify(fields),
      ],
      { cwd: root, encoding: "utf8", timeout: 15_000 },
    );
    expect(out).toContain('"msg":"secrets"');
    expect(leakedSecrets(out)).toEqual([]);
    expect(out).not.toContain("5215512345679");
    expect(out).toContain("+52155****679");
  });
});

describe("customer numbers in notifications", () => {
  it("are masked when the alert is grouped by recipient: email, webhook body and chat formats", () => {
    const alert = structuredClone(sampleAlert(new Date("2025-03-04T10:15:00Z")));
    alert.group = { recipient_id: "5215512345679" };
    const email = renderEmail(alert, "ops", true);
    const outputs = [
      email.subject,
      email.html,
      email.text,
      JSON.stringify(buildWebhookBody(alert, true)),
      ...(["slack", "teams", "google-chat"] as const).map((f) => JSON.stringify(chatPayload(f, alert))),
    ].join("\n");
    for (const s of alert.samples) if (s.recipient_id) expect(outputs).not.toContain(s.recipient_id);
    expect(outputs).not.toContain("5215512345679");
    expect(email.html).toContain("+52155****679");
    expect(JSON.stringify(buildWebhookBody(alert, true))).toContain("+52155****679");
    // With masking off the number is shown, so the assertions above do test the masking.
    expect(JSON.stringify(buildWebhookBody(alert, false))).toContain("5215512345679");
  });
});
