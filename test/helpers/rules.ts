// Hand-built Rule and RuleSet objects for evaluate tests, independent of the real rule compiler.
import type { Event } from "../../src/model/event.js";
import type { Severity } from "../../src/model/alert.js";
import type { MatchResult, Rule, RuleSet, Threshold } from "../../src/rules/types.js";

/** TestRuleSpec is the little a test says about a rule; everything else gets a default. */
export interface TestRuleSpec {
  id: string;
  when: (event: Event) => boolean;
  description?: string;
  severity?: Severity;
  groupBy?: string[];
  threshold?: Threshold;
  cooldownMs?: number;
  notify?: string[];
  actions?: string[];
  enabled?: boolean;
  stateKey?: string;
}

/** testRule builds a frozen Rule whose `match` is a plain predicate. */
export function testRule(spec: TestRuleSpec): Rule {
  return Object.freeze({
    id: spec.id,
    stateKey: spec.stateKey ?? `${spec.id}:test`,
    description: spec.description ?? `rule ${spec.id}`,
    severity: spec.severity ?? "warning",
    groupBy: spec.groupBy ?? [],
    ...(spec.threshold ? { threshold: spec.threshold } : {}),
    cooldownMs: spec.cooldownMs ?? 0,
    resolveAfterMs: spec.threshold?.withinMs ?? 0,
    notify: spec.notify ?? ["ops"],
    actions: spec.actions ?? [],
    enabled: spec.enabled ?? true,
    source: { file: "test.yaml", line: 1, col: 1 },
    async match(event: Event): Promise<MatchResult> {
      const result = spec.when(event);
      return {
        matched: result,
        conditions: [{ fact: "predicate", operator: "test", value: true, actual: result, result }],
      };
    },
  });
}

/** testRuleSet offers every rule as a candidate for every event (no index). */
export function testRuleSet(rules: readonly Rule[]): RuleSet {
  return Object.freeze({ rules, inhibitions: [], files: [], candidates: () => rules });
}

/** byCode is a `when` predicate matching one error code. */
export function byCode(code: number): (event: Event) => boolean {
  return (event) => event.code === code;
}
