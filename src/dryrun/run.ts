// The one dry-run engine behind `waba-alerts test --events`, rule tests and the console: memory windows, one clock.
import type { Alert } from "../evaluate/alert.js";
import { createEvaluator, type Evaluation } from "../evaluate/evaluator.js";
import type { CatalogLookup } from "../evaluate/facts.js";
import { createMemoryWindowStore } from "../evaluate/window/memory-store.js";
import type { Event } from "../ingest/event.js";
import type { Route } from "../route/routes.js";
import type { RuleSet } from "../rules/types.js";
import { createAftermath } from "./aftermath.js";
import { arrivalTimes } from "./clock.js";

/** DryRunOptions configure one dry run. */
export interface DryRunOptions {
  readonly rules: RuleSet;
  readonly catalog: CatalogLookup;
  readonly maxSamples: number;
  readonly maskPhoneNumbers: boolean;
  readonly maxFutureSkewMs?: number;
  readonly maxWindowEntries?: number;
  /** Keep every event's per-rule trace (for `--explain` and rule-test diagnostics). */
  readonly trace: boolean;
  /** The config's routes, compiled: they add channels to what rules notify (default: none). */
  readonly routes?: readonly Route[];
}

/**
 * DryRunAlert is one alert the dry run fired: the alert, the 1-based event that fired it, the clock
 * then, and what would become of it: sent to `channels`, or inhibited by a firing alert.
 */
export interface DryRunAlert {
  readonly alert: Alert;
  readonly atEvent: number;
  readonly atMs: number;
  readonly state: "firing" | "inhibited";
  readonly inhibitedBy?: Alert;
  readonly channels: readonly string[];
}

/** DryRunStep is one event's evaluation, for explaining it. */
export interface DryRunStep {
  readonly event: Event;
  /** False when the event had no time of its own and took the clock. */
  readonly ownTime: boolean;
  readonly evaluation: Evaluation;
}

/** DryRunResult is a whole run: each distinct alert once, redeliveries counted, every step. */
export interface DryRunResult {
  readonly alerts: readonly DryRunAlert[];
  /** Alerts fired again by a redelivered crossing event (the same alert id): not new alerts. */
  readonly redeliveries: number;
  readonly steps: readonly DryRunStep[];
}

/**
 * dryRun feeds events through the rules in the order given (arrival order). The clock is the newest
 * event time seen so far; an event without a time of its own arrives at the clock (the first timed
 * event's time when none came before it). Each event is evaluated as its own batch at the clock.
 * The caller's events are never changed.
 */
export async function dryRun(events: readonly Event[], opts: DryRunOptions): Promise<DryRunResult> {
  const windows = createMemoryWindowStore();
  const evaluator = createEvaluator({
    rules: () => opts.rules,
    catalog: opts.catalog,
    windows,
    maxSamples: opts.maxSamples,
    maskPhoneNumbers: opts.maskPhoneNumbers,
    ...(opts.maxFutureSkewMs !== undefined ? { maxFutureSkewMs: opts.maxFutureSkewMs } : {}),
    ...(opts.maxWindowEntries !== undefined ? { maxWindowEntries: opts.maxWindowEntries } : {}),
    trace: opts.trace,
  });
  const alerts: DryRunAlert[] = [];
  const seen = new Set<string>();
  const steps: DryRunStep[] = [];
  let redeliveries = 0;
  const times = arrivalTimes(events);
  const aftermath = createAftermath(opts.rules.inhibitions, opts.routes ?? [], windows);
  for (const [i, original] of events.entries()) {
    const { eventMs, clockMs, ownTime } = times[i] as (typeof times)[number];
    const event: Event = ownTime ? original : { ...original, timestamp: eventMs / 1000 };
    await aftermath.resolveDue(clockMs);
    const evaluation = await evaluator.evaluate({ received_at: clockMs, events: [event] }, clockMs);
    steps.push({ event, ownTime, evaluation });
    const fresh = evaluation.fired.filter(({ alert }) => {
      if (seen.has(alert.id)) {
        redeliveries++;
        return false;
      }
      seen.add(alert.id);
      return true;
    });
    const fates = await aftermath.fates(fresh, clockMs);
    fresh.forEach(({ alert }, k) => {
      const fate = fates[k] as (typeof fates)[number];
      alerts.push({ alert, atEvent: i + 1, atMs: clockMs, ...fate });
    });
  }
  return { alerts, redeliveries, steps };
}
