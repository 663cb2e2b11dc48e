// The pino logger every process uses; secrets are redacted and customer numbers masked, by path.
import { createRequire } from "node:module";
import { type DestinationStream, pino, type Logger } from "pino";
import type { PrettyOptions } from "pino-pretty";
import { maskIfPhone, maskPhone, RECIPIENT_FACTS } from "./mask.js";

const RECIPIENTS = new Set(RECIPIENT_FACTS);

/** REDACTED_PATHS lists the log fields that may carry secrets; pino replaces them with [redacted]. */
export const REDACTED_PATHS = [
  "app_secret",
  "secret",
  "token",
  "password",
  "authorization",
  "*.app_secret",
  "*.secret",
  "*.token",
  "*.password",
  "*.authorization",
  "req.headers.authorization",
  'req.headers["x-hub-signature-256"]',
];

/** MASKED_PATHS lists the log fields that carry a customer's phone number (an alert's group, a sample). */
export const MASKED_PATHS = ["recipient_id", "recipient", "recipient_participant_id"].flatMap((name) => [
  name,
  `*.${name}`,
  `samples[*].${name}`,
  `*.samples[*].${name}`,
  `*.facts.${name}`,
]);

/** REDACT is the pino redaction of every process: secrets become [redacted], customer numbers are masked. */
export const REDACT = {
  paths: [...REDACTED_PATHS, ...MASKED_PATHS],
  censor: (value: unknown, path: string[]): unknown => {
    const last = path[path.length - 1];
    if (typeof value !== "string" || last === undefined || !RECIPIENTS.has(last)) return "[redacted]";
    // recipient and group members may be business-scoped user ids, which are not numbers to mask.
    return last === "recipient_id" ? maskPhone(value) : maskIfPhone(value);
  },
};

/** LogFormat is `log.format`: coloured lines for a person at a terminal, or JSON lines for machines. */
export type LogFormat = "pretty" | "json";

/** LoggerOptions choose the output; by default JSON lines on stdout. */
export interface LoggerOptions {
  format?: LogFormat;
  /** Whether stdout is a terminal (default: ask process.stdout); pretty output needs one. */
  tty?: boolean;
  /** Where lines go instead of stdout (tests). */
  destination?: DestinationStream;
}

/**
 * createLogger builds the process logger at `level`. `format: pretty` gives coloured lines only when stdout is
 * a terminal; anything else (a pipe, systemd, a container, a log shipper) gets JSON lines with ISO-8601 times.
 */
export function createLogger(level = "info", opts: LoggerOptions = {}): Logger {
  const options = {
    level,
    base: { app: "waba-alerts" },
    redact: REDACT,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const tty = opts.tty ?? process.stdout.isTTY === true;
  if (opts.format === "pretty" && tty) return pino(options, prettyStream(opts.destination));
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/**
 * prettyStream loads pino-pretty only when a terminal asks for it (JSON processes never pay for it) and
 * writes synchronously: a person reads at human speed, and lines logged just before an exit are not lost.
 */
function prettyStream(destination?: DestinationStream): DestinationStream {
  const pretty = createRequire(import.meta.url)("pino-pretty") as (o: PrettyOptions) => DestinationStream;
  return pretty({
    colorize: !destination,
    sync: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,app",
    destination: destination ?? 1,
  });
}

export type { Logger };
