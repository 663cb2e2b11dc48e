// Grouping per channel: which alerts share a digest, and each channel's setting with its type's default.
import { createHash } from "node:crypto";
import type { AlertFacts } from "../alerts/match.js";
import type { ChannelConfig } from "../config/schema.js";
import type { Alert } from "../model/alert.js";

/** DEFAULT_GROUP_INTERVAL_MS is `group.interval` when a channel groups without saying (5m). */
export const DEFAULT_GROUP_INTERVAL_MS = 300_000;

/** DEFAULT_GROUP_BY is `group.by` when a channel groups without saying: one group per rule. */
export const DEFAULT_GROUP_BY: readonly string[] = Object.freeze(["rule"]);

/** GroupSpec is how one channel groups: by these facts, gathering for `intervalMs`. */
export interface GroupSpec {
  readonly by: readonly string[];
  readonly intervalMs: number;
}

/**
 * groupSpecOf is a channel's grouping, or undefined when it sends every alert on its own. Without a
 * `group` key, email and chat formats (slack, teams, google-chat) group by rule every 5 minutes, and
 * machine-read webhooks (`format: json`, or a custom `template`) do not. `intervalMs` is the channel's
 * `group.interval` in milliseconds (from the config's settings), when it writes one.
 */
export function groupSpecOf(channel: ChannelConfig, intervalMs?: number): GroupSpec | undefined {
  if (channel.group === false) return undefined;
  if (channel.group !== undefined) {
    const { by } = channel.group;
    return {
      by: by ? Object.freeze([...by]) : DEFAULT_GROUP_BY,
      intervalMs: intervalMs ?? DEFAULT_GROUP_INTERVAL_MS,
    };
  }
  const human =
    channel.type === "email" ||
    (channel.type === "webhook" && channel.format !== "json" && !channel.template);
  return human ? { by: DEFAULT_GROUP_BY, intervalMs: DEFAULT_GROUP_INTERVAL_MS } : undefined;
}

/** AlertGroup is the group one alert falls into on one channel: its values, and an id for its Redis keys. */
export interface AlertGroup {
  /** The `by` facts the alert has, with their values (a missing fact is left out, and groups apart). */
  readonly values: Record<string, string>;
  /** Short, fixed-length id of channel + alert type + values. */
  readonly id: string;
}

/** groupOf places an alert on `channel` in its group; firing and resolved alerts never share one. */
export function groupOf(alert: Alert, facts: AlertFacts, channel: string, spec: GroupSpec): AlertGroup {
  const values: Record<string, string> = {};
  for (const name of spec.by) {
    const v = facts[name];
    if (v !== undefined) values[name] = v;
  }
  const text = JSON.stringify([channel, alert.type, spec.by.map((n) => values[n] ?? null)]);
  return { values, id: createHash("sha256").update(text).digest("hex").slice(0, 24) };
}
