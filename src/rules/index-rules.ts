// The rule index: an event meets only the rules whose `when` (or a ratio's `of`) could match its code or kind.
import type { Event } from "../model/event.js";
import type { CompiledRule } from "./compile.js";
import { requiredValues } from "./pins.js";
import type { Inhibition, RuleSet } from "./types.js";
import type { ConditionNode } from "./types.js";

export { requiredValues };

/** RuleKeys is what a rule's `when` requires of `code` or `kind`; neither means "every event". */
export interface RuleKeys {
  readonly codes?: ReadonlySet<unknown>;
  readonly kinds?: ReadonlySet<unknown>;
}

/** keysOf indexes a condition by code when it pins the code, else by kind, else not at all. */
export function keysOf(when: ConditionNode): RuleKeys {
  const codes = requiredValues(when, "code");
  if (codes) return { codes };
  const kinds = requiredValues(when, "kind");
  return kinds ? { kinds } : {};
}

/** ruleKeys lists what a rule's events may look like: its `when`, and for a ratio rule its `of` too. */
export function ruleKeys(rule: CompiledRule): RuleKeys[] {
  const keys = [keysOf(rule.when)];
  if (rule.threshold?.kind === "ratio") keys.push(keysOf(rule.threshold.of));
  return keys;
}

function admits(k: RuleKeys, code: unknown, kind: unknown): boolean {
  if (k.codes) return k.codes.has(code);
  if (k.kinds) return k.kinds.has(kind);
  return true;
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
  const keys = rules.map(ruleKeys);
  const cache = new Map<unknown, Map<unknown, readonly CompiledRule[]>>();
  let cached = 0;

  function compute(code: unknown, kind: unknown): readonly CompiledRule[] {
    return Object.freeze(rules.filter((_, i) => (keys[i] as RuleKeys[]).some((k) => admits(k, code, kind))));
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
