// Fact names as rules write them (`template.name`, `value.errors[0].code`): the one way every stage reads a fact.

type Segment = string | number;

const cache = new Map<string, readonly Segment[]>();
const MAX_CACHED = 10_000;

/** factSegments splits a dotted fact name into its steps: `value.errors[0].code` → value, errors, 0, code. */
export function factSegments(name: string): readonly Segment[] {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const segs: Segment[] = [];
  for (const m of name.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segs.push(m[1] !== undefined ? m[1] : Number(m[2]));
  if (cache.size < MAX_CACHED) cache.set(name, segs);
  return segs;
}

/**
 * readFact reads a fact by its dotted name, the same for rule conditions, group_by, distinct and
 * matchers: each step goes into an object's own key (or a list's index); a step into a missing or
 * non-object value gives undefined, so a missing fact never matches and never throws.
 */
export function readFact(event: object, name: string): unknown {
  let current: unknown = event;
  for (const seg of factSegments(name)) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, seg)) return undefined;
    current = (current as Record<string | number, unknown>)[seg];
  }
  return current;
}

/**
 * nestDottedKeys turns the flat dotted keys a generic source may send (`"template.name": "x"`) into the
 * nested facts rules read (`template: { name: "x" }`), so one reader serves every source. A dotted key
 * that would step through a non-object value is kept as it is.
 */
export function nestDottedKeys<T extends Record<string, unknown>>(facts: T): T {
  if (!Object.keys(facts).some((k) => k.includes("."))) return facts;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(facts)) if (!key.includes(".")) out[key] = value;
  for (const [key, value] of Object.entries(facts)) {
    if (!key.includes(".")) continue;
    const parts = key.split(".");
    let node = out;
    let ok = parts.every((p) => p !== "" && p !== "__proto__" && p !== "constructor" && p !== "prototype");
    for (const part of parts.slice(0, -1)) {
      if (!ok) break;
      const next = node[part];
      if (next === undefined) node[part] = {};
      else if (next === null || typeof next !== "object" || Array.isArray(next)) ok = false;
      else node[part] = { ...(next as Record<string, unknown>) };
      if (ok) node = node[part] as Record<string, unknown>;
    }
    if (ok) node[parts[parts.length - 1] as string] = value;
    else out[key] = value;
  }
  return out as T;
}
