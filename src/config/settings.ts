// The config in final units: milliseconds, bytes and absolute paths, worked out once when the config loads.
import { isAbsolute, resolve } from "node:path";
import { parseDuration } from "../shared/duration.js";
import type { Config } from "./schema.js";
import { parseSize } from "./sizes.js";

/** ChannelSettings are one channel's durations in milliseconds. */
export interface ChannelSettings {
  /** A webhook's request timeout (email channels: unused). */
  readonly timeoutMs: number;
  /** `group.interval` when the channel writes one; undefined lets routing apply its default. */
  readonly groupIntervalMs?: number;
}

/** Settings are the values downstream code uses, in the units it uses; nothing after the loader parses config text. */
export interface Settings {
  readonly bodyLimitBytes: number;
  readonly notify: { readonly attempts: number; readonly backoffMs: number; readonly maxBackoffMs: number };
  readonly rules: {
    /** Rule files and directories, absolute. */
    readonly paths: readonly string[];
    readonly maxFutureSkewMs: number;
    readonly maxWindowEntries: number;
    /** rules.max_file_size in bytes. */
    readonly maxFileBytes: number;
    readonly maxFiles: number;
  };
  /** How much stored state is kept (counts, and the history's age in ms). */
  readonly retention: {
    readonly notificationJobs: number;
    readonly silences: number;
    readonly digestGroups: number;
    readonly historyMaxAgeMs: number;
  };
  /** Where `.eml` files go when no SMTP server is set, absolute. */
  readonly outbox: string;
  readonly channels: Readonly<Record<string, ChannelSettings>>;
}

// The schema's defaults, for the case a value does not parse (the schema has already refused it then).
const FALLBACK = { historyAge: 30 * 86_400_000, ruleFile: 1024 * 1024, ruleFiles: 1000, bodyLimit: 3 * 1024 * 1024, backoff: 2000, maxBackoff: 3_600_000, skew: 300_000, timeout: 10_000 };

function ms(text: string | undefined, fallback: number): number {
  return (text === undefined ? undefined : parseDuration(text)) ?? fallback;
}

/** settingsOf works out a validated config's settings; relative paths resolve against `dir` (the config file's). */
export function settingsOf(config: Config, dir: string): Settings {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(dir, p));
  const channels: Record<string, ChannelSettings> = {};
  for (const [name, channel] of Object.entries(config.channels)) {
    const timeout = channel.type === "webhook" ? channel.timeout : undefined;
    const interval = channel.group ? ms(channel.group.interval, 0) : 0;
    channels[name] = Object.freeze({
      timeoutMs: ms(timeout, FALLBACK.timeout),
      ...(interval > 0 ? { groupIntervalMs: interval } : {}),
    });
  }
  return Object.freeze({
    bodyLimitBytes: parseSize(config.server.body_limit) ?? FALLBACK.bodyLimit,
    notify: Object.freeze({
      attempts: config.notify.attempts,
      backoffMs: ms(config.notify.backoff, FALLBACK.backoff),
      maxBackoffMs: ms(config.notify.max_backoff, FALLBACK.maxBackoff),
    }),
    rules: Object.freeze({
      paths: Object.freeze(config.rules.paths.map(abs)),
      maxFutureSkewMs: ms(config.rules.max_future_skew, FALLBACK.skew),
      maxWindowEntries: config.rules.max_window_entries,
      maxFileBytes:
        config.rules.max_file_size === undefined
          ? FALLBACK.ruleFile
          : (parseSize(config.rules.max_file_size) ?? FALLBACK.ruleFile),
      maxFiles: config.rules.max_files ?? FALLBACK.ruleFiles,
    }),
    retention: Object.freeze({
      notificationJobs: config.retention?.notification_jobs ?? 10_000,
      silences: config.retention?.silences ?? 1000,
      digestGroups: config.retention?.digest_groups ?? 10_000,
      historyMaxAgeMs: ms(config.alerts.history_max_age, FALLBACK.historyAge),
    }),
    outbox: abs(config.email.outbox),
    channels: Object.freeze(channels),
  });
}
