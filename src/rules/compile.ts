// Compiles a validated RuleSpec into a frozen Rule whose `match` runs its `when` compiled to plain code.
import { createHash } from "node:crypto";
import { canonicalJson } from "../shared/canonical-json.js";
import { deepFreeze } from "../shared/freeze.js";
import { Engine, type NestedCondition, type TopLevelCondition } from "json-rules-engine";
import type { Event } from "../model/event.js";
import { readFact } from "../model/facts.js";
import { requiredValues } from "./pins.js";
import { compilePredicate } from "./matcher.js";
import { CUSTOM_OPERATORS } from "./operators.js";
import type { ConditionTrace, MatchResult, Rule } from "./types.js";
import type { ConditionNode, RuleSpec } from "./types.js";

/** CompiledRule is a Rule that also exposes its normalized `when`, for indexing and the admin API. */
export interface CompiledRule extends Rule {
  readonly when: ConditionNode;
  /** test is `match` without the condition trace: synchronous and allocation-free, for the hot path. */
  test(event: Event): boolean;
  /** testOf is `matchOf` without the trace (ratio rules only). */
  testOf?(event: Event): boolean;
}

function toEngine(node: ConditionNode): NestedCondition {
  if ("all" in node) return { all: node.all.map(toEngine) };
  if ("any" in node) return { any: node.any.map(toEngine) };
  if ("not" in node) return { not: toEngine(node.not) };
  const { value } = node;
  const isRef = typeof value === "object" && value !== null && !Array.isArray(value) && "fact" in value;
  // Facts reach the engine by their dotted names, already read (readFact): one reading of facts everywhere.
  const rhs = isRef ? { fact: String((value as { fact: unknown }).fact) } : value;
  return { fact: node.fact, operator: node.operator, value: rhs };
}

function topLevel(node: ConditionNode): TopLevelCondition {
  const converted = toEngine(node);
  return "all" in converted || "any" in converted || "not" in converted ? converted : { all: [converted] };
}

/** readFacts lists the (dotted) facts a condition tree reads, on either side of a comparison. */
function readFacts(node: ConditionNode, out = new Set<string>()): Set<string> {
  if ("all" in node) for (const n of node.all) readFacts(n, out);
  else if ("any" in node) for (const n of node.any) readFacts(n, out);
  else if ("not" in node) readFacts(node.not, out);
  else {
    out.add(node.fact);
    const { value } = node;
    if (typeof value === "object" && value !== null && !Array.isArray(value) && "fact" in value) {
      out.add(String((value as { fact: unknown }).fact));
    }
  }
  return out;
}

type ResultNode = Record<string, unknown>;

function collect(node: unknown, out: ConditionTrace[]): void {
  if (typeof node !== "object" || node === null) return;
  const n = node as ResultNode;
  if (Array.isArray(n.all) || Array.isArray(n.any)) {
    for (const child of (n.all ?? n.any) as unknown[]) collect(child, out);
  } else if (n.not !== undefined && n.fact === undefined) {
    collect(n.not, out);
  } else if (typeof n.result === "boolean") {
    // Conditions skipped by short-circuiting carry no result and explain nothing.
    out.push({
      fact: String(n.fact),
      operator: String(n.operator),
      value: n.valueResult !== undefined ? n.valueResult : n.value,
      actual: n.factResult,
      result: n.result,
    });
  }
}


/**
 * stateKeyOf is `id@hash` over what decides which events are counted together (the normalized
 * `when`, `group_by`, `threshold`, `absent`), so a description or cooldown edit keeps a rule's open
 * windows. Count and distinct thresholds hash without their `kind`, as they did before kinds existed,
 * so an upgrade keeps their windows too.
 */
export function stateKeyOf(spec: Pick<RuleSpec, "id" | "when" | "groupBy" | "threshold" | "absent">): string {
  const t = spec.threshold;
  const threshold = t && (t.kind === "count" || t.kind === "distinct") ? { ...t, kind: undefined } : t;
  const body = canonicalJson({
    when: spec.when,
    group_by: spec.groupBy,
    threshold: threshold ?? null,
    ...(spec.absent ? { absent: spec.absent } : {}),
  });
  return `${spec.id}@${createHash("sha256").update(body).digest("hex").slice(0, 12)}`;
}


/** VERDICTS_PER_RULE bounds the memo of one condition tree: distinct values of the facts it reads. */
const VERDICTS_PER_RULE = 4096;

/** verdictKey is the values of the facts a condition reads, as one string: equal keys, equal verdicts. */
function verdictKey(values: readonly unknown[]): string {
  let key = "";
  for (const v of values) {
    key += v === undefined ? "\u0001" : typeof v === "string" ? `s${v}` : `j${JSON.stringify(v)}`;
    key += "\u0000";
  }
  return key;
}

/**
 * engineMatcher runs `when` through a json-rules-engine Engine: the evaluator whose verdict counts.
 * The engine is given exactly the facts the conditions read, by their dotted names, read with readFact;
 * its verdict depends on nothing else, so it is remembered per distinct set of those values (bounded):
 * a tree that reads `kind` and `status` runs the engine once per kind and status seen, not per event.
 */
export function engineMatcher(when: ConditionNode): (event: Event) => Promise<MatchResult> {
  const conditions = topLevel(when);
  const names = [...readFacts(when)];
  // An Engine keeps one run status: a run that finishes marks the engine FINISHED and a concurrent run
  // on the same engine then skips its rule. Each run therefore borrows an engine of its own from a pool
  // (as large as the number of batches evaluated at once).
  const idle: Engine[] = [];
  const borrow = (): Engine => {
    const pooled = idle.pop();
    if (pooled) return pooled;
    // allowUndefinedFacts: an event without `template.name` simply does not match it.
    const engine = new Engine([{ conditions, event: { type: "rule" } }], { allowUndefinedFacts: true });
    for (const operator of CUSTOM_OPERATORS) engine.addOperator(operator);
    return engine;
  };
  const memo = new Map<string, MatchResult>();
  return async (event) => {
    const values = names.map((name) => readFact(event, name));
    const key = verdictKey(values);
    const known = memo.get(key);
    if (known) return known;
    const engine = borrow();
    try {
      const facts: Record<string, unknown> = {};
      names.forEach((name, i) => {
        if (values[i] !== undefined) facts[name] = values[i];
      });
      const { results, failureResults } = await engine.run(facts);
      const result = results[0] ?? failureResults[0];
      const trace: ConditionTrace[] = [];
      collect(result?.conditions, trace);
      // Frozen shallowly: a trace's `actual` may be a part of the event, which is not ours to freeze.
      const verdict: MatchResult = Object.freeze({ matched: results.length > 0, conditions: Object.freeze(trace) });
      if (memo.size >= VERDICTS_PER_RULE) memo.clear();
      memo.set(key, verdict);
      return verdict;
    } finally {
      idle.push(engine);
    }
  };
}

/**
 * compileRule turns a valid spec into a frozen rule. `match` is json-rules-engine's verdict (with its
 * condition trace). `test` is a compiled predicate with the same semantics for the hot path: a candidate
 * it rejects is not a match, so the engine (an almanac, promises and a result tree per run, ~15 µs) runs
 * only for events that do match.
 */
export function compileRule(spec: RuleSpec): CompiledRule {
  const when = deepFreeze(structuredClone(spec.when));
  const match = engineMatcher(when);
  const test = compilePredicate(when);
  const of = spec.threshold?.kind === "ratio" ? spec.threshold.of : undefined;
  const ofMatchers = of ? { matchOf: engineMatcher(of), testOf: compilePredicate(of) } : {};
  const codes = requiredValues(when, "code");
  const pinned = codes?.size === 1 ? [...codes][0] : undefined;
  return deepFreeze({
    id: spec.id,
    stateKey: stateKeyOf(spec),
    description: spec.description,
    severity: spec.severity,
    when,
    groupBy: [...spec.groupBy],
    ...(spec.threshold ? { threshold: structuredClone(spec.threshold) } : {}),
    ...(spec.absent ? { absent: { ...spec.absent } } : {}),
    ...(typeof pinned === "number" ? { pinnedCode: pinned } : {}),
    cooldownMs: spec.cooldownMs,
    resolveAfterMs: spec.resolveAfterMs,
    notify: [...spec.notify],
    actions: [...spec.actions],
    enabled: spec.enabled,
    source: { ...spec.source },
    match,
    test,
    ...ofMatchers,
  });
}
