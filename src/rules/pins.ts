import type { ConditionNode } from "./types.js";
// What a condition tree requires of one fact: the values it pins (for the index, codes of alerts, validation).

/**
 * requiredValues returns the values `fact` must take for `node` to match, or undefined when the
 * tree does not pin it. The answer may be wider than the truth (it ignores other facts) but never
 * narrower, so indexing by it never hides a rule that could fire; an empty set means no value can
 * satisfy the tree (`all` of two different codes).
 */
export function requiredValues(node: ConditionNode, fact: string): ReadonlySet<unknown> | undefined {
  if ("all" in node) {
    let pinned: Set<unknown> | undefined;
    for (const child of node.all) {
      const values = requiredValues(child, fact);
      if (!values) continue;
      pinned = pinned ? new Set([...pinned].filter((v) => values.has(v))) : new Set(values);
    }
    return pinned;
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
