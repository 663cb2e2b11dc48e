// The pino logger every process uses; secrets are redacted by path so they never reach a log line.
import { pino, type Logger } from "pino";

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

/** createLogger builds the process logger at `level` (JSON lines on stdout). */
export function createLogger(level = "info"): Logger {
  return pino({ level, base: { app: "waba-alerts" }, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } });
}

export type { Logger };
