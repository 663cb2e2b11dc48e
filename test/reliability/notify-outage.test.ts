import type { ParsedMail } from "mailparser";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { describe, expect, it } from "vitest";
import { startHttpReceiver } from "../helpers/http-receiver.js";
import { freePort, sleep, startApp, waitUntil } from "./support/processes.js";
import { useFaultEnvironment } from "./support/environment.js";
import { batchOf, metaBody, postBody, writeScenario } from "./support/scenario.js";

function smtpOn(port: number): Promise<{ messages: ParsedMail[]; close(): Promise<void> }> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  return new Promise((res) =>
    server.listen(port, "127.0.0.1", () =>
      res({ messages, close: () => new Promise<void>((r) => server.close(() => r())) }),
    ),
  );
}

describe("notification channels down for a while", () => {
  const env = useFaultEnvironment();

  it("SMTP refusing connections, then up: every alert email arrives exactly once", async () => {
    const smtpPort = await freePort();
    const s = writeScenario({
      redisUrl: env.redis.url,
      port: await freePort(),
      smtp: `smtp://127.0.0.1:${smtpPort}?connectionTimeout=1000`,
    });
    env.track(s);
    const app = await startApp("start", s.config);
    const run = `m${Date.now()}`;
    const ids = [0, 1, 2].map((i) => `${run}-${i}`);
    for (const [i] of ids.entries()) {
      const events = batchOf(run, i, 1, 1).slice(0, 1);
      expect(await postBody(s.port, metaBody(events))).toBe(200);
    }
    await app.waitForLog((l) => l.msg === "notification attempt failed; will retry");
    await sleep(2500);
    const smtp = await smtpOn(smtpPort);
    try {
      await waitUntil("three alert emails", () => smtp.messages.length >= 3, 20_000);
      await sleep(2500);
      expect(smtp.messages).toHaveLength(3);
      expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(3);
    } finally {
      await app.stop("SIGKILL");
      await smtp.close();
    }
  }, 60_000);

  it("a webhook receiver answering 500 for a while: every alert delivered once with its idempotency key", async () => {
    const receiver = await startHttpReceiver([...Array(8).fill({ status: 500 }), { status: 200 }]);
    const s = writeScenario({
      redisUrl: env.redis.url,
      port: await freePort(),
      channels: `  forward: { type: webhook, url: "${receiver.url}", secret: "fwd" }`,
      notify: ["forward"],
    });
    env.track(s);
    const app = await startApp("start", s.config);
    try {
      const run = `w${Date.now()}`;
      for (const i of [0, 1, 2])
        expect(await postBody(s.port, metaBody(batchOf(run, i, 1, 1).slice(0, 1)))).toBe(200);
      await waitUntil("three successful deliveries", () => receiver.requests.length >= 11, 30_000);
      await sleep(2500);
      const delivered = receiver.requests.slice(8);
      expect(delivered).toHaveLength(3);
      const keys = delivered.map((r) => String(r.headers["idempotency-key"]));
      expect(new Set(keys).size).toBe(3);
      // Every failed attempt was for one of these alerts: retries, not new alerts.
      for (const r of receiver.requests.slice(0, 8))
        expect(keys).toContain(String(r.headers["idempotency-key"]));
    } finally {
      await app.stop("SIGKILL");
      await receiver.close();
    }
  }, 60_000);
});
