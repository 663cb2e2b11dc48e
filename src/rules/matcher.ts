// A `when` tree compiled to a plain synchronous function with json-rules-engine's exact semantics.
import type { Event } from "../model/event.js";
import { readFact } from "../model/facts.js";
import { containsValue, lacksValue } from "./operators.js";
import type { ConditionTrace, MatchResult } from "./types.js";
import type { ConditionNode, LeafCondition } from "./types.js";

/**
 * Matcher tests one event and records every leaf it evaluated. json-rules-engine evaluates every
 * condition of an all/any (our rules set no priorities, so there is one priority set and nothing is
 * short-circuited), so the trace lists every leaf in tree order, as the engine's result tree does.
 */
type Matcher = (event: Event, trace: ConditionTrace[] | undefined) => boolean;

type Operand = (event: Event) => unknown;

function numeric(v: unknown): boolean {
  return Number.parseFloat(v as string).toString() !== "NaN";
}

/**
 * OPERATORS mirror json-rules-engine's engine-default-operators.js (validator first, then the comparison),
 * with `contains` / `doesNotContain` as operators.ts widens them for both.
 */
const OPERATORS: Record<string, (a: unknown, b: unknown) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as unknown[]).indexOf(a) > -1,
  notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
  contains: containsValue,
  doesNotContain: lacksValue,
  lessThan: (a, b) => numeric(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => numeric(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => numeric(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => numeric(a) && (a as number) >= (b as number),
};

/** factReader reads a dotted fact exactly as the engine is given it (readFact). */
function factReader(name: string): Operand {
  return (e) => readFact(e, name);
}

function isFactRef(value: unknown): value is { fact: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "fact" in value;
}

function leaf(node: LeafCondition): Matcher {
  const op = OPERATORS[node.operator];
  if (!op) throw new Error(`unknown operator ${node.operator}`);
  const lhs = factReader(node.fact);
  const ref = isFactRef(node.value) ? { fact: String(node.value.fact) } : undefined;
  const rhs: Operand = ref ? factReader(String((node.value as { fact: unknown }).fact)) : () => node.value;
  // The engine reports the condition's own value when the right-hand side resolved to undefined.
  const written = ref ?? node.value;
  const fact = node.fact;
  const operator = node.operator;
  return (event, trace) => {
    const actual = lhs(event);
    const value = rhs(event);
    const result = op(actual, value);
    trace?.push({ fact, operator, value: value !== undefined ? value : written, actual, result });
    return result;
  };
}

function compileNode(node: ConditionNode): Matcher {
  if ("all" in node) {
    const children = node.all.map(compileNode);
    return (event, trace) => {
      let ok = true;
      for (const child of children) ok = child(event, trace) && ok;
      return ok;
    };
  }
  if ("any" in node) {
    const children = node.any.map(compileNode);
    // An empty `any` passes, as in the engine (an empty condition set resolves to true).
    if (children.length === 0) return () => true;
    return (event, trace) => {
      let ok = false;
      for (const child of children) ok = child(event, trace) || ok;
      return ok;
    };
  }
  if ("not" in node) {
    const child = compileNode(node.not);
    return (event, trace) => !child(event, trace);
  }
  return leaf(node);
}

/** compileMatcher turns a normalized `when` into a function giving the same MatchResult as the engine. */
export function compileMatcher(when: ConditionNode): (event: Event) => MatchResult {
  const matcher = compileNode(when);
  return (event) => {
    const conditions: ConditionTrace[] = [];
    const matched = matcher(event, conditions);
    return { matched, conditions };
  };
}

/** compilePredicate is compileMatcher's verdict without the trace, for callers that never read it. */
export function compilePredicate(when: ConditionNode): (event: Event) => boolean {
  const matcher = compileNode(when);
  return (event) => matcher(event, undefined);
}
