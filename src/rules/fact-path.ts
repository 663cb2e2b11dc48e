// Dotted fact names (`template.name`, `value.errors[0].code`) split for json-rules-engine and resolved fast.

type Segment = string | number;

const cache = new Map<string, readonly Segment[]>();

function segmentsOf(path: string): readonly Segment[] {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const segs: Segment[] = [];
  for (const m of path.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    segs.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  cache.set(path, segs);
  return segs;
}

/** splitFact turns `template.name` into json-rules-engine's `{ fact: "template", path: "$.name" }`. */
export function splitFact(name: string): { fact: string; path?: string } {
  const cut = name.search(/[.[]/);
  if (cut < 0) return { fact: name };
  return { fact: name.slice(0, cut), path: `$${name.slice(cut)}` };
}

/**
 * resolvePath is the engine's pathResolver for the simple paths splitFact writes. It replaces the
 * engine's JSONPath default, which parses the path on every call and is the slowest part of a match;
 * a step into a missing or non-object value yields undefined (a non-match, never a throw).
 */
export function resolvePath(value: object, path: string): unknown {
  let current: unknown = value;
  for (const seg of segmentsOf(path)) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.hasOwn(current, seg)) return undefined;
    current = (current as Record<string | number, unknown>)[seg];
  }
  return current;
}
