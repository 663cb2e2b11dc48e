// Alert latency: trigger crossings of the bench-latency rule at known times and time their arrival at
// a real SMTP server and a real webhook receiver, both on 127.0.0.1.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { type HttpReceiver, startHttpReceiver } from "../test/helpers/http-receiver.js";
import { triggerBody } from "./payloads.js";

/** AlertProbe is the SMTP sink, the webhook receiver and the triggers sent so far. */
export interface AlertProbe {
  readonly smtpUrl: string;
  readonly hookUrl: string;
  /** trigger posts one crossing to `url` and remembers when it was sent and acknowledged. */
  trigger(url: string, secret: string): Promise<void>;
  /** results waits (bounded) for outstanding alerts, then gives the latencies in ms. */
  results(waitMs: number): Promise<{ email: number[]; webhook: number[]; triggered: number; emails: number }>;
  close(): Promise<void>;
}

interface Trigger {
  readonly tag: string;
  readonly sentAt: number;
}

/** startAlertProbe listens for mail and webhooks; `run` makes its tags unique. */
export async function startAlertProbe(run: string): Promise<AlertProbe> {
  const mails: Array<{ at: number; text: string }> = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const at = Date.now();
        callback();
        simpleParser(Buffer.concat(chunks))
          .then((m) => mails.push({ at, text: `${m.subject ?? ""}\n${m.text ?? ""}` }))
          .catch(() => mails.push({ at, text: "" }));
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const addr = smtp.server.address();
  const smtpPort = typeof addr === "object" && addr ? addr.port : 0;
  const hook: HttpReceiver = await startHttpReceiver();
  const triggers: Trigger[] = [];

  const latencies = () => {
    const email: number[] = [];
    const webhook: number[] = [];
    for (const t of triggers) {
      const mail = mails.find((m) => m.text.includes(t.tag));
      if (mail) email.push(mail.at - t.sentAt);
      const req = hook.requests.find((r) => r.text.includes(t.tag));
      if (req) webhook.push(req.at - t.sentAt);
    }
    return { email, webhook };
  };

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    hookUrl: hook.url,
    async trigger(url, secret) {
      const tag = `lat-${run}-${triggers.length}`;
      const { body, signature } = triggerBody(run, tag, secret);
      const sentAt = Date.now();
      const res = await fetch(`${url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signature },
        body,
      });
      await res.arrayBuffer();
      if (res.ok) triggers.push({ tag, sentAt });
    },
    async results(waitMs) {
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline) {
        const l = latencies();
        if (l.email.length >= triggers.length && l.webhook.length >= triggers.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return { ...latencies(), triggered: triggers.length, emails: mails.length };
    },
    async close() {
      await hook.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

/** probeEvery fires a trigger every `everyMs` until `stopAt` (at most `max` of them). */
export async function probeEvery(
  probe: AlertProbe,
  url: string,
  secret: string,
  stopAt: number,
  everyMs: number,
  max = 200,
): Promise<void> {
  for (let i = 0; i < max && Date.now() + everyMs / 2 < stopAt; i++) {
    await probe.trigger(url, secret).catch(() => {});
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
