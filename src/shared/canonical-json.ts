// Canonical JSON: the same value always serializes to the same text, whatever the order of its keys.

/** canonicalJson serializes `v` with object keys sorted and undefined members left out, so key order never changes a hash. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const obj = v as Record<string, unknown>;
    const members = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
