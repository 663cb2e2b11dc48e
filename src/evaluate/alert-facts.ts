// The crossing event's own facts as an alert carries them: flat dotted names, scalar values, numbers masked.
import type { Event } from "../model/event.js";
import { maskIfPhone, RECIPIENT_FACTS } from "../shared/mask.js";

/** AlertFacts is Alert["facts"]: fact name → scalar value. */
export type AlertFacts = Record<string, string | number | boolean>;

/** MAX_ALERT_FACTS bounds how many facts an alert keeps (generic sources may send any number). */
export const MAX_ALERT_FACTS = 60;
/** MAX_FACT_TEXT bounds one text value, so one long field cannot bloat the alert history. */
export const MAX_FACT_TEXT = 300;
// `id` is the alert's own business and `value` is the raw webhook, reachable by rules but not worth a mail.
const LEFT_OUT = new Set(["id", "value"]);
const MAX_DEPTH = 4;
const RECIPIENTS = new Set(RECIPIENT_FACTS);

function scalar(v: unknown): string | number | boolean | undefined {
  if (typeof v === "string") return v.length > MAX_FACT_TEXT ? `${v.slice(0, MAX_FACT_TEXT - 1)}…` : v;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "boolean") return v;
  if (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((x) => ["string", "number", "boolean"].includes(typeof x))
  ) {
    return scalar(v.join(", "));
  }
  return undefined;
}

function flatten(prefix: string, obj: Record<string, unknown>, depth: number, out: AlertFacts): void {
  for (const [key, v] of Object.entries(obj)) {
    if (Object.keys(out).length >= MAX_ALERT_FACTS) return;
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (prefix === "" && LEFT_OUT.has(key)) continue;
    const s = scalar(v);
    if (s !== undefined) out[name] = s;
    else if (typeof v === "object" && v !== null && !Array.isArray(v) && depth < MAX_DEPTH) {
      flatten(name, v as Record<string, unknown>, depth + 1, out);
    }
  }
}

/**
 * alertFacts flattens `event` for the alert: `{template: {name: "x"}}` becomes `{"template.name": "x"}`,
 * lists of scalars are joined with ", ", objects and lists of objects below that are left out.
 * Recipient facts that are phone numbers are masked when `mask` is on (BSUIDs are not numbers).
 */
export function alertFacts(event: Event, mask: boolean): AlertFacts {
  const out: AlertFacts = {};
  flatten("", event, 1, out);
  if (mask) {
    for (const name of RECIPIENTS) {
      const v = out[name];
      if (typeof v === "string") out[name] = maskIfPhone(v);
    }
  }
  return out;
}
