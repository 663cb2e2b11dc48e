// Durations as admins write them in YAML: 30s, 10m, 2h, 1d (and 500ms for the rare sub-second case).

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * DURATION_PATTERN is the JSON Schema pattern of a duration, and the very regex parseDuration uses:
 * whole number, unit, and surrounding whitespace ignored (`\s` is exactly what String#trim strips).
 */
export const DURATION_PATTERN = "^\\s*(\\d+)(ms|s|m|h|d)\\s*$";

/** POSITIVE_DURATION_PATTERN is DURATION_PATTERN without the zero durations (`0s`, `00m`). */
export const POSITIVE_DURATION_PATTERN = "^\\s*(0*[1-9]\\d*)(ms|s|m|h|d)\\s*$";

const PATTERN = new RegExp(DURATION_PATTERN);

/** DURATION_HINT is the sentence every "bad duration" error ends with. */
export const DURATION_HINT = "write a whole number followed by s, m, h or d, for example 30s, 10m, 2h or 1d";

/** parseDuration turns `10m` into milliseconds, or returns undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const unit = UNITS[m[2] as string] as number;
  return Number(m[1]) * unit;
}

/** formatDuration renders milliseconds in the largest unit that divides them exactly (600000 → 10m). */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    const size = UNITS[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
