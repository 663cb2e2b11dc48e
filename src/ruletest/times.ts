// Times in rule test files: "+30s" from the test's start, ISO-8601, or unix seconds.
import { DURATION_HINT, parseDuration } from "../shared/duration.js";

/** DEFAULT_START_MS is where relative times count from unless a test says `start:` (2026-01-01T00:00:00Z). */
export const DEFAULT_START_MS = Date.UTC(2026, 0, 1);

/** TIME_HINT is the sentence every "bad time" problem ends with. */
export const TIME_HINT =
  'write "+30s" or "+10m" (after the test\'s start), an ISO-8601 time such as 2026-01-01T09:30:00Z, or unix seconds';

// Seconds only reach 1e12 in the year 33658, so anything larger is a millisecond epoch.
const MS_THRESHOLD = 1e12;

/** parseTime reads an absolute time (ISO-8601, Date, unix s or ms) as unix ms, or undefined. */
export function parseTime(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    return Math.floor(value >= MS_THRESHOLD ? value : value * 1000);
  }
  if (typeof value === "string" && value.trim() !== "" && !/^[+-]/.test(value.trim())) {
    if (/^\d+$/.test(value.trim())) return parseTime(Number(value));
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

/** parseOffset reads "30s", "10m" or a sum such as "1m10s" (what relativeTime prints) as ms. */
function parseOffset(text: string): number | undefined {
  const parts = text.match(/\d+(ms|s|m|h|d)/g);
  if (!parts || parts.join("") !== text) return undefined;
  return parts.reduce((sum, part) => sum + (parseDuration(part) ?? 0), 0);
}

/** parseAt reads an event or expectation time: relative to `startMs` ("+30s", "+1m10s") or absolute. */
export function parseAt(value: unknown, startMs: number): number | undefined {
  if (typeof value === "string" && value.trim().startsWith("+")) {
    const ms = parseOffset(value.trim().slice(1));
    return ms === undefined ? undefined : startMs + ms;
  }
  return parseTime(value);
}

/** parseEvery reads a `repeat` interval ("10s", "2m1s"); 0s is allowed (a burst in the same second). */
export function parseEvery(value: unknown): number | undefined {
  return typeof value === "string" ? parseOffset(value.trim()) : undefined;
}

/** timeProblem words a time that could not be read. */
export function timeProblem(key: string, value: unknown): string {
  return `"${key}" is not a time (got ${JSON.stringify(value)}); ${TIME_HINT}`;
}

/** everyProblem words a `repeat` interval that could not be read. */
export function everyProblem(value: unknown): string {
  return `"every" is not a duration (got ${JSON.stringify(value)}); ${DURATION_HINT} (or a sum such as 1m30s)`;
}

/** relativeTime renders a time as "+1m10s" after `startMs` (or ISO-8601 when before it). */
export function relativeTime(ms: number, startMs: number): string {
  const delta = ms - startMs;
  if (delta < 0 || delta % 1000 !== 0) return new Date(ms).toISOString();
  let rest = delta / 1000;
  let out = "";
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return `+${out}${rest > 0 || out === "" ? `${rest}s` : ""}`;
}
