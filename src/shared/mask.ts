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
