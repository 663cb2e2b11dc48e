// Messaging limits as Meta writes them (TIER_2K, 2000, UNLIMITED, -1), ordered so a change has a direction.

// How many unique users a day each tier allows; the legacy per-number TIER_1K is kept for older webhooks.
const TIERS: Readonly<Record<string, number>> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
  UNLIMITED: Number.POSITIVE_INFINITY,
};

/** limitSize reads a messaging limit as a number of users a day (unlimited = Infinity), or undefined. */
export function limitSize(limit: string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  const text = limit.trim().toUpperCase();
  if (Object.hasOwn(TIERS, text)) return TIERS[text];
  if (!/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  // Meta writes an unlimited capability as -1.
  return n === -1 ? Number.POSITIVE_INFINITY : n > 0 ? n : undefined;
}

/** limitChange is `upgrade` or `downgrade` when both limits are known and differ, else undefined. */
export function limitChange(previous: string | undefined, current: string | undefined): string | undefined {
  const before = limitSize(previous);
  const after = limitSize(current);
  if (before === undefined || after === undefined || before === after) return undefined;
  return after > before ? "upgrade" : "downgrade";
}
