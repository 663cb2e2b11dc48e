// Redis key names of absent rules: every key of one rule under one hash tag, so its scripts run in one slot.
import { hashTag } from "../window/redis-store.js";

/** ABSENT_KEYS is how many keys every absence script takes before any per-group ones. */
export const ABSENT_KEYS = 5;

/**
 * absentKeys names one absent rule's shared keys (watch, due, fired, ctx, back) and a group's counters; `ruleKey`
 * is the rule's state key, or one shard of it (shards.ts).
 */
export function absentKeys(
  prefix: string,
  ruleKey: string,
): { shared: [string, string, string, string, string]; counters(group: string): string } {
  const base = `${prefix}:absent:${hashTag(ruleKey)}`;
  return {
    shared: [`${base}:watch`, `${base}:due`, `${base}:fired`, `${base}:ctx`, `${base}:back`],
    counters: (group) => `${base}:q:${group}`,
  };
}
