// The evaluation stage: each event of a batch → candidate rules → match → one store call per window → Alerts.
import type { Event, EventBatch } from "../model/event.js";
import type { MatchResult, Rule, RuleSet } from "../rules/types.js";
import { ArrivalBatch } from "./absence/arrivals.js";
import type { AbsenceStore } from "./absence/types.js";
import type { Alert } from "../model/alert.js";
import { buildAlert } from "./alert-builder.js";
import { type CatalogLookup, eventTimeMs, withCatalogFacts } from "./facts.js";
import { matchedPair, type Pending, pendingFor, probeOf, type Verdict } from "./hits.js";
import { type EventTrace, type RuleCount, type RuleTrace, tallyOutcomes, type WindowTally } from "./trace.js";
import type {
  BucketHit,
  BucketStore,
  WindowClock,
  WindowHit,
  WindowOutcome,
  WindowProbe,
  WindowStore,
} from "./window/types.js";

/** DEFAULT_MAX_WINDOW_ENTRIES is `rules.max_window_entries` when nothing else is said. */
export const DEFAULT_MAX_WINDOW_ENTRIES = 100_000;

/** DEFAULT_MAX_FUTURE_SKEW_MS is `rules.max_future_skew` (5m) when nothing else is said. */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 300_000;

/** EvaluatorDeps is what the evaluator needs; `rules` is read once per batch so a hot reload applies between batches. */
export interface EvaluatorDeps {
  rules(): RuleSet;
  catalog: CatalogLookup;
  windows: WindowStore;
  /** Counts ratio and spike rules (required once such a rule is loaded). */
  buckets?: BucketStore;
  /** Records arrivals of absent rules (required once such a rule is loaded). */
  absences?: AbsenceStore;
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

/** WindowRef names the rule+group stream an alert came from and how to read it: what resolving needs. */
export interface WindowRef {
  /** One pending resolve per key: the rule+group window (or absent rule+group). */
  readonly key: string;
  readonly probe: WindowProbe;
  /** 0 with a count probe: the alert never resolves (a rule without threshold or cooldown). */
  readonly resolveAfterMs: number;
}

/** resolves says whether an alert from this window waits to resolve (absences resolve when the group speaks). */
export function resolves(window: WindowRef): boolean {
  return window.resolveAfterMs > 0 || window.probe.kind === "absent";
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

const NO_MATCH: MatchResult = Object.freeze({ matched: false, conditions: [] });

/** FastRule is a rule with synchronous predicates (compiled rules have them). */
type FastRule = Rule & { test?(event: Event): boolean; testOf?(event: Event): boolean };

/**
 * verdict tests one event against a rule's `when` and, for ratio rules, `of`. Without a trace the compiled
 * predicate first screens out what cannot match (cheap, synchronous); json-rules-engine gives every
 * positive verdict. The engine's verdicts are remembered per values of the facts a condition reads
 * (rules/compile.ts), so conditions that match nearly every status (a ratio's `of`, an absent rule's
 * `when`) cost the engine once per distinct kind and status, not once per event.
 */
async function verdict(
  rule: Rule,
  event: Event,
  tracing: boolean,
  trace: Mutable<RuleTrace>,
): Promise<Verdict> {
  const fast = rule as FastRule;
  const screened = !tracing && typeof fast.test === "function";
  trace.match = screened && !fast.test?.(event) ? NO_MATCH : await rule.match(event);
  if (!rule.matchOf) return { when: trace.match.matched, of: false };
  if (!tracing && typeof fast.testOf === "function" && !fast.testOf(event)) {
    return { when: trace.match.matched, of: false };
  }
  const of = await rule.matchOf(event);
  trace.of = of;
  return { when: trace.match.matched, of: of.matched };
}

/** createEvaluator builds the evaluation stage over a rule source, the catalog and the stores. */
export function createEvaluator(deps: EvaluatorDeps): Evaluator {
  const skewMs = deps.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  const settings = {
    maxSamples: deps.maxSamples,
    maskPhoneNumbers: deps.maskPhoneNumbers,
    maxEntries: deps.maxWindowEntries ?? DEFAULT_MAX_WINDOW_ENTRIES,
  };
  return {
    async evaluate(batch: EventBatch, nowMs: number): Promise<Evaluation> {
      const set = deps.rules();
      const clock: WindowClock = { nowMs, futureLimitMs: (batch.received_at ?? nowMs) + skewMs };
      const trace: EventTrace[] = [];
      const pending: Pending[] = [];
      const arrivals = new ArrivalBatch(settings.maskPhoneNumbers);
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
          const ruleTrace: Mutable<RuleTrace> = { ruleId: rule.id, match: NO_MATCH };
          const v = await verdict(rule, event, tracing, ruleTrace);
          rules?.push(ruleTrace);
          if (!v.when && !v.of) continue;
          if (v.when) count.matched++;
          const m = matchedPair(rule, event, ruleTrace, settings.maskPhoneNumbers);
          if (rule.absent) {
            arrivals.add(m, timeMs);
            continue;
          }
          const p = pendingFor(m, v, timeMs, settings);
          if (p) pending.push(p);
        }
      }

      const fired: FiredAlert[] = [];
      if (pending.length === 0 && arrivals.size === 0)
        return { fired, ruleCounts, windows: tallyOutcomes([]), clock, trace };
      // Issued together so that a Redis store sends them in one pipeline.
      const [outcomes, arrived] = await Promise.all([
        applyAll(deps, pending, clock),
        arrivals.record(deps.absences, batch.received_at ?? nowMs),
      ]);
      pending.forEach((p, i) => {
        const outcome = outcomes[i];
        if (!outcome)
          throw new Error(`window stores returned ${outcomes.length} outcomes for ${pending.length} hits`);
        p.trace.window = outcome;
        const alert = alertFor(p, outcome, deps, nowMs, batch.received_at);
        if (!alert) return;
        p.trace.alertId = alert.id;
        fired.push({
          alert,
          window: { key: p.hit.key, probe: probeOf(p), resolveAfterMs: p.rule.resolveAfterMs },
        });
      });
      return { fired, ruleCounts, windows: tallyOutcomes([...outcomes, ...arrived]), clock, trace };
    },
  };
}

/** applyAll sends the batch's count and bucket hits to their stores at once, outcomes in `pending` order. */
async function applyAll(
  deps: EvaluatorDeps,
  pending: readonly Pending[],
  clock: WindowClock,
): Promise<WindowOutcome[]> {
  const windowHits: WindowHit[] = [];
  const bucketHits: BucketHit[] = [];
  for (const p of pending) {
    if (p.store === "window") windowHits.push(p.hit);
    else bucketHits.push(p.hit);
  }
  if (bucketHits.length > 0 && !deps.buckets) throw new Error("a ratio or spike rule needs a bucket store");
  const [fromWindows, fromBuckets] = await Promise.all([
    windowHits.length > 0 ? deps.windows.apply(windowHits, clock) : [],
    bucketHits.length > 0 && deps.buckets ? deps.buckets.applyBuckets(bucketHits, clock) : [],
  ]);
  let w = 0;
  let b = 0;
  return pending.map((p) => (p.store === "window" ? fromWindows[w++] : fromBuckets[b++]) as WindowOutcome);
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
    groupText: p.groupText,
    group: p.group,
    firing: outcome.firing,
    catalog: deps.catalog,
    nowMs,
    maskPhoneNumbers: deps.maskPhoneNumbers,
    ...(receivedAt !== undefined ? { receivedAt } : {}),
  });
}
