// The mail transport all email channels share: pooled SMTP from `email.smtp`, or .eml files in `email.outbox`.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";

/** MailMessage is the part of a nodemailer message the email notifier fills in. */
export interface MailMessage {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Stable per alert and channel, so a retried send that did arrive twice looks like one message. */
  messageId?: string;
  /** For a resolved alert: the firing email's Message-ID, so mail clients thread the two. */
  inReplyTo?: string;
  references?: string;
}

/** MailTransport sends one message per call (no retries) and reports where it went. */
export interface MailTransport {
  readonly kind: "smtp" | "outbox";
  /** send delivers `message`; `fileStem` names the .eml file when writing to the outbox. */
  send(message: MailMessage, fileStem: string): Promise<string>;
  close(): void;
}

// Bounded waits, so an unresponsive server yields a retryable timeout instead of a job stuck for ever.
const SMTP_DEFAULTS: Record<string, string> = {
  pool: "true",
  connectionTimeout: "10000",
  greetingTimeout: "10000",
  socketTimeout: "30000",
};

/**
 * createMailTransport builds the shared transport: SMTP when `smtp` holds a smtp:// or smtps:// URL
 * (TLS as the scheme says, credentials from the URL, any nodemailer option as a query parameter),
 * otherwise an outbox that writes each message to `outbox` as an .eml file.
 */
export function createMailTransport(smtp: string, outbox: string): MailTransport {
  return smtp.trim() === "" ? outboxTransport(outbox) : smtpTransport(smtp.trim());
}

function smtpTransport(url: string): MailTransport {
  const u = new URL(url);
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:") {
    throw new Error(`email.smtp must start with smtp:// or smtps://, not ${u.protocol}//`);
  }
  for (const [key, value] of Object.entries(SMTP_DEFAULTS)) {
    if (!u.searchParams.has(key)) u.searchParams.set(key, value);
  }
  const transport = nodemailer.createTransport(u.toString());
  return {
    kind: "smtp",
    async send(message) {
      const info = await transport.sendMail(message);
      return info.response ?? info.messageId;
    },
    close: () => transport.close(),
  };
}

function outboxTransport(dir: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  let ready: Promise<unknown> | undefined;
  return {
    kind: "outbox",
    async send(message, fileStem) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      const info = await composer.sendMail(message);
      const file = join(dir, `${fileStem}.eml`);
      // Written aside and renamed, so a reader of the outbox never sees half a message.
      await writeFile(`${file}.part`, info.message as Buffer);
      await rename(`${file}.part`, file);
      return `written to ${file}`;
    },
    close: () => composer.close(),
  };
}
