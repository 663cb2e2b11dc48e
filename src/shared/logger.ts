// The pino logger every process uses; secrets are redacted and customer numbers masked, by path.
import { pino, type Logger } from "pino";
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

/** createLogger builds the process logger at `level` (JSON lines on stdout). */
export function createLogger(level = "info"): Logger {
  return pino({ level, base: { app: "waba-alerts" }, redact: REDACT });
}

export type { Logger };
