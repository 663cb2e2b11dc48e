// The evaluation stage: each event of a batch → candidate rules → match → one window call per window → Alerts.
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
  withCatalogFacts,
  windowKey,
} from "./facts.js";
import { type EventTrace, type RuleCount, type RuleTrace, tallyOutcomes, type WindowTally } from "./trace.js";
import type { WindowClock, WindowHit, WindowOutcome, WindowStore } from "./window/types.js";

/** DEFAULT_MAX_WINDOW_ENTRIES is `rules.max_window_entries` when nothing else is said. */
export const DEFAULT_MAX_WINDOW_ENTRIES = 100_000;

/** DEFAULT_MAX_FUTURE_SKEW_MS is `rules.max_future_skew` (5m) when nothing else is said. */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 300_000;

/** EvaluatorDeps is what the evaluator needs; `rules` is read once per batch so a hot reload applies between batches. */
export interface EvaluatorDeps {
  rules(): RuleSet;
  catalog: CatalogLookup;
  windows: WindowStore;
  /** How many sample events an alert carries. */
  maxSamples: number;
  maskPhoneNumbers: boolean;
  /** Events further than this ahead of the receiving clock are `future`: counted nowhere (default 5 minutes). */
  maxFutureSkewMs?: number;
  /** The most entries one rule+group window keeps (default 100,000). */
  maxWindowEntries?: number;
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

/** WindowRef names the rule+group window an alert came from and how to read it: what resolving needs. */
export interface WindowRef {
  readonly key: string;
  /** 0 for rules without a threshold. */
  readonly windowMs: number;
  readonly moreThan: number;
  readonly distinct: boolean;
  readonly resolveAfterMs: number;
}

/** FiredAlert is an alert with the window it came from, as evaluate hands it to the alert lifecycle. */
export interface FiredAlert {
  readonly alert: Alert;
  readonly window: WindowRef;
}

/**
 * Evaluation is the result of one batch: the fired alerts with their windows, per-rule counts and window
 * outcomes (for metrics), the clock it counted on, and — when tracing — how every event met every rule.
 */
export interface Evaluation {
  readonly fired: FiredAlert[];
  readonly ruleCounts: ReadonlyMap<string, RuleCount>;
  readonly windows: WindowTally;
  readonly clock: WindowClock;
  readonly trace: EventTrace[];
}

/** Evaluator runs batches of events through the rules and windows. */
export interface Evaluator {
  /** evaluate processes one batch at processing time `nowMs` (the windows are anchored there). */
  evaluate(batch: EventBatch, nowMs: number): Promise<Evaluation>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Pending is a matched rule waiting for the batch's window calls. */
interface Pending {
  readonly rule: Rule;
  readonly event: Event;
  readonly groupKey: string;
  readonly hit: WindowHit;
  readonly group: Record<string, string>;
  readonly trace: Mutable<RuleTrace>;
}

/** createEvaluator builds the evaluation stage over a rule source, the catalog and a window store. */
export function createEvaluator(deps: EvaluatorDeps): Evaluator {
  const skewMs = deps.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  return {
    async evaluate(batch: EventBatch, nowMs: number): Promise<Evaluation> {
      const set = deps.rules();
      const clock: WindowClock = { nowMs, futureLimitMs: (batch.received_at ?? nowMs) + skewMs };
      const trace: EventTrace[] = [];
      const pending: Pending[] = [];
      const ruleCounts = new Map<string, RuleCount>();
      const tracing = deps.trace ?? true;

      for (const received of batch.events) {
        const event = withCatalogFacts(received, deps.catalog);
        const timeMs = eventTimeMs(event, nowMs);
        const rules: RuleTrace[] | undefined = tracing ? [] : undefined;
        if (rules)
          trace.push({ eventId: event.id, code: event.code, kind: event.kind, eventTimeMs: timeMs, rules });
        for (const rule of set.candidates(event)) {
          if (!rule.enabled) continue;
          const count = countFor(ruleCounts, rule.id);
          count.evaluated++;
          // The fast predicate only screens out non-matches; json-rules-engine gives the verdict.
          if (!tracing && isFast(rule) && !rule.test(event)) continue;
          const match: MatchResult = await rule.match(event);
          const ruleTrace: Mutable<RuleTrace> = { ruleId: rule.id, match };
          rules?.push(ruleTrace);
          if (!match.matched) continue;
          count.matched++;
          const p = pendingFor(rule, event, timeMs, deps, ruleTrace);
          if (p) pending.push(p);
        }
      }

      const fired: FiredAlert[] = [];
      if (pending.length === 0) return { fired, ruleCounts, windows: tallyOutcomes([]), clock, trace };
      const outcomes = await deps.windows.apply(
        pending.map((p) => p.hit),
        clock,
      );
      pending.forEach((p, i) => {
        const outcome = outcomes[i];
        if (!outcome)
          throw new Error(`window store returned ${outcomes.length} outcomes for ${pending.length} hits`);
        p.trace.window = outcome;
        const alert = alertFor(p, outcome, deps, nowMs, batch.received_at);
        if (!alert) return;
        p.trace.alertId = alert.id;
        fired.push({ alert, window: windowRef(p) });
      });
      return { fired, ruleCounts, windows: tallyOutcomes(outcomes), clock, trace };
    },
  };
}

function countFor(counts: Map<string, RuleCount>, ruleId: string): RuleCount {
  let count = counts.get(ruleId);
  if (!count) {
    count = { evaluated: 0, matched: 0 };
    counts.set(ruleId, count);
  }
  return count;
}

function alertFor(
  p: Pending,
  outcome: WindowOutcome,
  deps: EvaluatorDeps,
  nowMs: number,
  receivedAt: number | undefined,
): Alert | undefined {
  if (outcome.kind !== "fired" && outcome.kind !== "refired") return undefined;
  return buildAlert({
    rule: p.rule,
    event: p.event,
    groupKey: p.groupKey,
    group: p.group,
    firing: outcome.firing,
    catalog: deps.catalog,
    nowMs,
    maskPhoneNumbers: deps.maskPhoneNumbers,
    ...(receivedAt !== undefined ? { receivedAt } : {}),
  });
}

function windowRef(p: Pending): WindowRef {
  return {
    key: p.hit.key,
    windowMs: p.hit.windowMs,
    moreThan: p.hit.moreThan,
    distinct: p.hit.distinctValue !== undefined,
    resolveAfterMs: p.rule.resolveAfterMs,
  };
}

function pendingFor(
  rule: Rule,
  event: Event,
  timeMs: number,
  deps: EvaluatorDeps,
  trace: Mutable<RuleTrace>,
): Pending | undefined {
  const group = groupOf(event, rule.groupBy);
  trace.group = group;
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
  const key = groupKey(event, rule.groupBy);
  const hit: WindowHit = {
    key: windowKey(rule.stateKey, key),
    eventId: event.id,
    eventTimeMs: timeMs,
    windowMs: threshold ? threshold.withinMs : 0,
    moreThan: threshold ? threshold.moreThan : 0,
    cooldownMs: rule.cooldownMs,
    resolveAfterMs: rule.resolveAfterMs,
    ...(distinctValue !== undefined ? { distinctValue } : {}),
    sample: sampleOf(event, timeMs, deps.maskPhoneNumbers),
    maxSamples: deps.maxSamples,
    maxEntries: deps.maxWindowEntries ?? DEFAULT_MAX_WINDOW_ENTRIES,
  };
  return { rule, event, groupKey: key, hit, group, trace };
}
