// The rule index: an event meets only the rules whose `when` could match its code or kind.
import type { Event } from "../ingest/event.js";
import type { CompiledRule } from "./compile.js";
import type { ConditionNode } from "./schema.js";
import type { Inhibition, RuleSet } from "./types.js";

/** RuleKeys is what a rule's `when` requires of `code` or `kind`; neither means "every event". */
export interface RuleKeys {
  readonly codes?: ReadonlySet<unknown>;
  readonly kinds?: ReadonlySet<unknown>;
}

/**
 * requiredValues returns the values `fact` must take for `node` to match, or undefined when the
 * tree does not pin it. The answer may be wider than the truth (it ignores other conditions) but
 * never narrower, so indexing by it never hides a rule that could fire.
 */
export function requiredValues(node: ConditionNode, fact: string): ReadonlySet<unknown> | undefined {
  if ("all" in node) {
    for (const child of node.all) {
      const values = requiredValues(child, fact);
      if (values) return values;
    }
    return undefined;
  }
  if ("any" in node) {
    const union = new Set<unknown>();
    for (const child of node.any) {
      const values = requiredValues(child, fact);
      if (!values) return undefined;
      for (const v of values) union.add(v);
    }
    return union;
  }
  if ("not" in node || node.fact !== fact) return undefined;
  // A `{ fact: … }` value is only known per event, so it pins nothing.
  if (node.operator === "equal" && (typeof node.value !== "object" || node.value === null)) {
    return new Set([node.value]);
  }
  if (node.operator === "in" && Array.isArray(node.value)) return new Set(node.value);
  return undefined;
}

/** keysOf indexes a rule by code when its `when` pins the code, else by kind, else not at all. */
export function keysOf(when: ConditionNode): RuleKeys {
  const codes = requiredValues(when, "code");
  if (codes) return { codes };
  const kinds = requiredValues(when, "kind");
  return kinds ? { kinds } : {};
}

// Codes and kinds come from outside (generic sources may send any code), so bound the cache.
const MAX_CACHED_PAIRS = 10_000;

/** buildRuleSet indexes the enabled rules, in file order, for constant-cost candidate lookup. */
export function buildRuleSet(
  all: readonly CompiledRule[],
  files: readonly string[],
  inhibitions: readonly Inhibition[] = [],
): RuleSet {
  const rules = Object.freeze(all.filter((r) => r.enabled));
  const keys = rules.map((r) => keysOf(r.when));
  const cache = new Map<unknown, Map<unknown, readonly CompiledRule[]>>();
  let cached = 0;

  function compute(code: unknown, kind: unknown): readonly CompiledRule[] {
    return Object.freeze(
      rules.filter((_, i) => {
        const k = keys[i] as RuleKeys;
        if (k.codes) return k.codes.has(code);
        if (k.kinds) return k.kinds.has(kind);
        return true;
      }),
    );
  }

  function candidates(event: Event): readonly CompiledRule[] {
    const { code, kind } = event;
    let byKind = cache.get(code);
    const hit = byKind?.get(kind);
    if (hit) return hit;
    const found = compute(code, kind);
    if (cached < MAX_CACHED_PAIRS) {
      if (!byKind) {
        byKind = new Map();
        cache.set(code, byKind);
      }
      byKind.set(kind, found);
      cached++;
    }
    return found;
  }

  return Object.freeze({
    rules,
    inhibitions: Object.freeze([...inhibitions]),
    candidates,
    files: Object.freeze([...files]),
  });
}
