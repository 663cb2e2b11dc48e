// The evaluation stage: each event of a batch → candidate rules → match → one window call → Alerts.
import type { Event, EventBatch } from "../ingest/event.js";
import type { MatchResult, Rule, RuleSet } from "../rules/types.js";
import type { Alert } from "./alert.js";
import { buildAlert, sampleOf } from "./alert-builder.js";
import {
  type CatalogLookup,
  eventTimeMs,
  factText,
  factValue,
  groupKey,
  groupOf,
  setCatalogFacts,
  windowKey,
} from "./facts.js";
import type { WindowHit, WindowOutcome, WindowStore } from "./window/types.js";

/** EvaluatorDeps is what the evaluator needs; `rules` is read once per batch so a hot reload applies between batches. */
export interface EvaluatorDeps {
  rules(): RuleSet;
  catalog: CatalogLookup;
  windows: WindowStore;
  /** How many sample events an alert carries. */
  maxSamples: number;
  maskPhoneNumbers: boolean;
  /**
   * trace (default true) records how every event met every candidate rule, for `test --explain`. The
   * events worker never reads it: without it a batch allocates next to nothing per unmatched event, and
   * rules with a synchronous `test` are checked without a promise per candidate.
   */
  trace?: boolean;
}

/** FastRule is a rule that can also answer without a trace (compiled rules can). */
type FastRule = Rule & { test(event: Event): boolean };

function isFast(rule: Rule): rule is FastRule {
  return typeof (rule as Partial<FastRule>).test === "function";
}

/** RuleTrace is what one candidate rule did with one event, for `test --explain`. */
export interface RuleTrace {
  readonly ruleId: string;
  readonly match: MatchResult;
  /** The window key part for the event's group (only when matched). */
  readonly group?: Record<string, string>;
  /** What the window did with the hit (only when matched and counted). */
  readonly window?: WindowOutcome;
  /** Why a matched event was not counted, e.g. it lacks the rule's `distinct` fact. */
  readonly skipped?: string;
  /** The alert this rule produced for the event, when it fired or refired. */
  readonly alertId?: string;
}

/** EventTrace records every candidate rule an event met and what came of it. */
export interface EventTrace {
  readonly eventId: string;
  readonly code?: number;
  readonly kind: string;
  /** Event time, unix ms. */
  readonly eventTimeMs: number;
  readonly rules: readonly RuleTrace[];
}

/** AlertSource says which rule and window produced an alert (what resolving it needs), trace or not. */
export interface AlertSource {
  readonly alertId: string;
  readonly rule: Rule;
  readonly windowKey: string;
}

/** RuleCount is how many events met a rule as a candidate in one batch, and how many matched. */
export interface RuleCount {
  evaluated: number;
  matched: number;
}

/**
 * Evaluation is the result of one batch: the alerts to hand on, where each came from, per-rule counts
 * (for metrics), and — when tracing — the trace of how every event met every candidate rule.
 */
export interface Evaluation {
  readonly alerts: Alert[];
  readonly sources: AlertSource[];
  readonly ruleCounts: ReadonlyMap<string, RuleCount>;
  readonly trace: EventTrace[];
}

/** Evaluator runs batches of events through the rules and windows. */
export interface Evaluator {
  /** evaluate processes one batch at processing time `nowMs` (the windows are anchored there). */
  evaluate(batch: EventBatch, nowMs: number): Promise<Evaluation>;
}

interface MutableRuleTrace {
  ruleId: string;
  match: MatchResult;
  group?: Record<string, string>;
  window?: WindowOutcome;
  skipped?: string;
  alertId?: string;
}

/** Pending is a matched rule waiting for the batch's single window call. */
interface Pending {
  readonly rule: Rule;
  readonly event: Event;
  readonly groupKey: string;
  readonly windowKey: string;
  readonly group: Record<string, string>;
  readonly trace: MutableRuleTrace;
}

/** createEvaluator builds the evaluation stage over a rule source, the catalog and a window store. */
export function createEvaluator(deps: EvaluatorDeps): Evaluator {
  return {
    async evaluate(batch: EventBatch, nowMs: number): Promise<Evaluation> {
      const set = deps.rules();
      const trace: EventTrace[] = [];
      const pending: Pending[] = [];
      const hits: WindowHit[] = [];
      const ruleCounts = new Map<string, RuleCount>();

      const tracing = deps.trace ?? true;
      for (const event of batch.events) {
        setCatalogFacts(event, deps.catalog);
        const timeMs = eventTimeMs(event, nowMs);
        const rules: MutableRuleTrace[] | undefined = tracing ? [] : undefined;
        if (rules)
          trace.push({ eventId: event.id, code: event.code, kind: event.kind, eventTimeMs: timeMs, rules });
        for (const rule of set.candidates(event)) {
          if (!rule.enabled) continue;
          let count = ruleCounts.get(rule.id);
          if (!count) {
            count = { evaluated: 0, matched: 0 };
            ruleCounts.set(rule.id, count);
          }
          count.evaluated++;
          // The fast predicate only screens out non-matches; json-rules-engine gives the verdict.
          if (!tracing && isFast(rule) && !rule.test(event)) continue;
          const match = await rule.match(event);
          if (match.matched) count.matched++;
          const ruleTrace: MutableRuleTrace = { ruleId: rule.id, match };
          rules?.push(ruleTrace);
          if (!match.matched) continue;
          const hit = hitFor(rule, event, timeMs, deps, ruleTrace);
          if (!hit) continue;
          hits.push(hit.hit);
          pending.push({
            rule,
            event,
            groupKey: hit.groupKey,
            windowKey: hit.hit.key,
            group: ruleTrace.group ?? {},
            trace: ruleTrace,
          });
        }
      }

      const alerts: Alert[] = [];
      const sources: AlertSource[] = [];
      if (hits.length === 0) return { alerts, sources, ruleCounts, trace };
      const outcomes = await deps.windows.apply(hits, nowMs);
      pending.forEach((p, i) => {
        const outcome = outcomes[i];
        if (!outcome)
          throw new Error(`window store returned ${outcomes.length} outcomes for ${hits.length} hits`);
        p.trace.window = outcome;
        if (outcome.kind !== "fired" && outcome.kind !== "refired") return;
        const alert = buildAlert({
          rule: p.rule,
          event: p.event,
          groupKey: p.groupKey,
          group: p.group,
          firing: outcome.firing,
          catalog: deps.catalog,
          nowMs,
          receivedAt: batch.received_at,
        });
        p.trace.alertId = alert.id;
        alerts.push(alert);
        sources.push({ alertId: alert.id, rule: p.rule, windowKey: p.windowKey });
      });
      return { alerts, sources, ruleCounts, trace };
    },
  };
}

function hitFor(
  rule: Rule,
  event: Event,
  timeMs: number,
  deps: EvaluatorDeps,
  trace: MutableRuleTrace,
): { hit: WindowHit; groupKey: string } | undefined {
  const group = groupKey(event, rule.groupBy);
  trace.group = groupOf(event, rule.groupBy);
  const threshold = rule.threshold;
  let distinctValue: string | undefined;
  if (threshold?.distinct !== undefined) {
    distinctValue = factText(factValue(event, threshold.distinct));
    // An event without the fact adds no distinct value, so it cannot move the count.
    if (distinctValue === undefined) {
      trace.skipped = `no value for distinct fact ${threshold.distinct}`;
      return undefined;
    }
  }
  const hit: WindowHit = {
    key: windowKey(rule.stateKey, group),
    eventId: event.id,
    eventTimeMs: timeMs,
    windowMs: threshold ? threshold.withinMs : 0,
    moreThan: threshold ? threshold.moreThan : 0,
    cooldownMs: rule.cooldownMs,
    ...(distinctValue !== undefined ? { distinctValue } : {}),
    sample: sampleOf(event, timeMs, deps.maskPhoneNumbers),
    maxSamples: deps.maxSamples,
  };
  return { hit, groupKey: group };
}
