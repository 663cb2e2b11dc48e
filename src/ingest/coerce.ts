// Lenient readers for Meta's loosely typed JSON: strings that should be ints, ms vs s timestamps, nulls.

/** JsonObject is a parsed JSON object whose members are not trusted yet. */
export type JsonObject = Record<string, unknown>;

/** asObject returns `v` when it is a plain JSON object (not null, not an array), else undefined. */
export function asObject(v: unknown): JsonObject | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** asObjects keeps the object items of `v` when it is an array; anything else reads as none. */
export function asObjects(v: unknown): JsonObject[] {
  if (!Array.isArray(v)) return [];
  return v.filter((item): item is JsonObject => asObject(item) !== undefined);
}

/** asString reads ids and labels; numbers become strings because Meta's ids are sometimes ints. */
export function asString(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** asId reads an identity (phone number, BSUID, message id): like asString, but an empty string is none. */
export function asId(v: unknown): string | undefined {
  const s = asString(v);
  return s === undefined || s.trim() === "" ? undefined : s;
}

/** asNumber reads a finite number sent as a JSON number or a decimal string ("14.28"). */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && /^-?\d{1,15}(\.\d{1,15})?$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** asInt reads an integer sent either as a JSON number or as a string of digits ("131048"). */
export function asInt(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) ? v : undefined;
  if (typeof v === "string" && /^-?\d{1,15}$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** asBool reads a JSON boolean, plus the "true"/"false" strings some forwarders produce. */
export function asBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

// Anything at or above this is a millisecond epoch: seconds only reach 1e12 in the year 33658.
const MS_THRESHOLD = 1e12;

/** toUnixSeconds reads a unix time in seconds or milliseconds (number or digit string) as whole seconds. */
export function toUnixSeconds(v: unknown): number | undefined {
  const n =
    typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return Math.floor(n >= MS_THRESHOLD ? n / 1000 : n);
}

/** compact drops undefined members so absent facts are missing rather than present-but-undefined. */
export function compact<T extends object>(obj: T): T {
  // for…in over a fresh object literal sees exactly its own members, without Object.entries' pair arrays
  // (this runs several times per event on the ingest hot path).
  const src = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    const v = src[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** compactOrUndefined is compact() that also drops a nested fact object left with no members. */
export function compactOrUndefined<T extends object>(obj: T): T | undefined {
  const out = compact(obj);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** MAX_JSON_DEPTH bounds the nesting of an accepted body: Meta's deepest is ~8; hashing a deeper one overflows the stack. */
export const MAX_JSON_DEPTH = 64;

/** nestedDeeperThan tells, without recursion, whether parsed JSON `v` nests arrays/objects more than `max` levels. */
export function nestedDeeperThan(v: unknown, max: number): boolean {
  // Two parallel stacks, and only objects pushed: this walks every request body, so no pair per node.
  const items: object[] = [];
  const depths: number[] = [];
  if (typeof v === "object" && v !== null) {
    items.push(v);
    depths.push(1);
  }
  while (items.length > 0) {
    const item = items.pop() as object;
    const depth = depths.pop() as number;
    if (depth > max) return true;
    const children: Iterable<unknown> = Array.isArray(item) ? item : Object.values(item);
    for (const child of children) {
      if (typeof child === "object" && child !== null) {
        items.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
