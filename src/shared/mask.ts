// Masking of phone numbers, so alerts and logs never carry a customer's full number.

/** maskPhone keeps the country code area and the last three digits: 5215512345679 → +52155****679. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, "");
  if (digits.length < 7) return digits.length === 0 ? value : "****";
  const keep = Math.floor(digits.length / 2) - 1;
  return `+${digits.slice(0, keep)}****${digits.slice(-3)}`;
}
