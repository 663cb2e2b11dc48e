// The email notifier against a real SMTP server, and the outbox that needs none.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { buildNotifiers } from "../../../src/notify/registry.js";
import { notifyTest, sampleAlert } from "../../../src/notify/sample.js";
import type { Notifier } from "../../../src/notify/types.js";
import { emailChannel, silentLog, testConfig } from "../../fixtures/notify/config.js";
import { type SmtpTestServer, startSmtpServer } from "../../helpers/smtp.js";

let smtp: SmtpTestServer | undefined;
let notifiers: Map<string, Notifier> | undefined;
let dir: string | undefined;

afterEach(async () => {
  await Promise.all([...(notifiers?.values() ?? [])].map((n) => n.close()));
  await smtp?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  smtp = undefined;
  notifiers = undefined;
  dir = undefined;
});

describe("email over SMTP", () => {
  it("delivers one message with the SPEC subject, both parts, masked numbers and the actions", async () => {
    smtp = await startSmtpServer();
    notifiers = buildNotifiers(
      testConfig(
        { ops: emailChannel(["ops@example.com"], { cc: ["lead@example.com"] }) },
        { smtp: smtp.url },
      ),
      silentLog,
    );
    const alert = sampleAlert();
    const result = await notifiers.get("ops")!.send({ alert, channel: "ops" });
    expect(result.kind).toBe("ok");
    const [mail] = await smtp.waitForMessages(1);
    expect(mail!.subject).toBe("[CRITICAL] 131048 Spam rate limit hit — 6 in 10m on +1 555 078 3881");
    expect(mail!.from?.text).toContain("alerts@localhost");
    expect(JSON.stringify(mail!.to)).toContain("ops@example.com");
    expect(JSON.stringify(mail!.cc)).toContain("lead@example.com");
    expect(mail!.headers.get("x-waba-alerts-alert-id")).toBe(alert.id);
    expect(mail!.messageId).toBe(`<${alert.id}.ops@waba-alerts>`);
    expect(mail!.text).toContain("1. Check the number's quality rating in WhatsApp Manager");
    expect(mail!.text).toContain("+52155****679");
    expect(mail!.html).toContain("+52155****679");
    expect(mail!.html).toContain("What to do");
    expect(`${mail!.text}${mail!.html}`).not.toContain("5215512345679");
  });

  it("calls a 4xx reply retryable and a 5xx reply permanent, one attempt each", async () => {
    smtp = await startSmtpServer({ tempFailFirst: 1 });
    notifiers = buildNotifiers(testConfig({ ops: emailChannel() }, { smtp: smtp.url }), silentLog);
    const ops = notifiers.get("ops")!;
    expect(await ops.send({ alert: sampleAlert(), channel: "ops" })).toMatchObject({ kind: "retryable" });
    expect(smtp.attempts()).toBe(1);
    expect((await ops.send({ alert: sampleAlert(), channel: "ops" })).kind).toBe("ok");
    await ops.close();
    await smtp.close();

    smtp = await startSmtpServer({ alwaysReject: true });
    const rejecting = buildNotifiers(testConfig({ ops: emailChannel() }, { smtp: smtp.url }), silentLog);
    const r = await rejecting.get("ops")!.send({ alert: sampleAlert(), channel: "ops" });
    await rejecting.get("ops")!.close();
    expect(r).toMatchObject({ kind: "permanent", error: expect.stringContaining("550") });
    expect(smtp.attempts()).toBe(1);
  });

  it("calls an unreachable server retryable", async () => {
    smtp = await startSmtpServer();
    const url = smtp.url;
    await smtp.close();
    smtp = undefined;
    notifiers = buildNotifiers(testConfig({ ops: emailChannel() }, { smtp: url }), silentLog);
    expect((await notifiers.get("ops")!.send({ alert: sampleAlert(), channel: "ops" })).kind).toBe(
      "retryable",
    );
  });
});

describe("email outbox", () => {
  it("writes a parseable .eml named by time, alert and channel when no SMTP server is configured", async () => {
    dir = await mkdtemp(join(tmpdir(), "waba-outbox-"));
    const outbox = join(dir, "nested", "outbox");
    notifiers = buildNotifiers(testConfig({ ops: emailChannel() }, { smtp: "", outbox }), silentLog);
    const result = await notifyTest(notifiers.get("ops")!, "ops");
    expect(result).toMatchObject({ kind: "ok", detail: expect.stringContaining(outbox) });
    const files = await readdir(outbox);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z_sample-[a-z0-9]+_ops\.eml$/);
    const mail = await simpleParser(await readFile(join(outbox, files[0]!)));
    expect(mail.subject).toBe("[CRITICAL] 131048 Spam rate limit hit — 6 in 10m on +1 555 078 3881");
    expect(mail.text).toContain("What to do".toUpperCase());
    expect(mail.html).toContain("Spam rate limit hit");
  });

  it("acknowledges resolved alerts without sending when send_resolved is off", async () => {
    dir = await mkdtemp(join(tmpdir(), "waba-outbox-"));
    notifiers = buildNotifiers(
      testConfig({ ops: emailChannel(["ops@example.com"], { send_resolved: false }) }, { outbox: dir }),
      silentLog,
    );
    const r = await notifiers
      .get("ops")!
      .send({ alert: { ...sampleAlert(), type: "alert.resolved" }, channel: "ops" });
    expect(r).toMatchObject({ kind: "ok", detail: expect.stringContaining("skipped") });
    expect(await readdir(dir)).toHaveLength(0);
  });
});
