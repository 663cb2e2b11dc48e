// Masking of phone numbers, so alerts and logs never carry a customer's full number.

/** maskPhone keeps the country code area and the last three digits: 5215512345679 → +52155****679. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, "");
  if (digits.length < 7) return digits.length === 0 ? value : "****";
  const keep = Math.floor(digits.length / 2) - 1;
  return `+${digits.slice(0, keep)}****${digits.slice(-3)}`;
}

/**
 * isPhoneNumber tells a phone number (digits, maybe with +, spaces, dashes, dots or brackets) from the
 * other ids that stand for a user: business-scoped user ids such as `US.1349…` are not numbers to mask.
 */
export function isPhoneNumber(value: string): boolean {
  return /^\+?[\d\s\-().]+$/.test(value) && value.replace(/\D/g, "").length >= 7;
}

/** maskIfPhone masks `value` with maskPhone when it is a phone number, and returns anything else unchanged. */
export function maskIfPhone(value: string): string {
  return isPhoneNumber(value) ? maskPhone(value) : value;
}

/** RECIPIENT_FACTS are the facts that may hold a customer's phone number; alerts mask them like samples. */
export const RECIPIENT_FACTS: readonly string[] = Object.freeze([
  "recipient_id",
  "recipient",
  "recipient_participant_id",
]);

const RECIPIENTS = new Set(RECIPIENT_FACTS);

/** maskFact masks `value` when `name` is a recipient fact holding a phone number; anything else is unchanged. */
export function maskFact(name: string, value: string): string {
  return RECIPIENTS.has(name) ? maskIfPhone(value) : value;
}

/**
 * sameFact says whether a fact's value equals what a matcher (silence, route, inhibition, rule test) wrote.
 * A recipient fact also matches the masked form of what was written, so an operator may type the full
 * number of a customer whose alerts only ever show it masked.
 */
export function sameFact(name: string, actual: string | undefined, written: string): boolean {
  if (actual === undefined) return false;
  return actual === written || (RECIPIENTS.has(name) && actual === maskIfPhone(written));
}

/**
 * PHONE_KEYS are the keys under which Meta's payloads (and our events) carry a customer's phone number:
 * the recipient facts, `wa_id` of contacts and preferences, `from` of inbound messages, `to` of echoes.
 */
const PHONE_KEYS = new Set([...RECIPIENTS, "wa_id", "from", "to", "user_wa_id"]);

/**
 * maskDeep copies a JSON value with every phone number under a PHONE_KEYS key masked (maskIfPhone), at any
 * depth: for showing raw data (queued events, job data) to an operator. Other values are left as they are.
 */
export function maskDeep(value: unknown, key = ""): unknown {
  if (typeof value === "string") return PHONE_KEYS.has(key) ? maskIfPhone(value) : value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, key));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, k);
  return out;
}
