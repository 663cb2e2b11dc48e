// The one dry-run engine behind `waba-alerts test --events`, rule tests and the console: memory windows, one clock.
import { createMemoryAbsenceStore } from "../evaluate/absence/memory-store.js";
import { sweepAbsences } from "../evaluate/absence/sweeper.js";
import type { Alert } from "../evaluate/alert.js";
import { createEvaluator, type Evaluation, type FiredAlert } from "../evaluate/evaluator.js";
import type { CatalogLookup } from "../evaluate/facts.js";
import { createMemoryBucketStore } from "../evaluate/window/bucket-memory.js";
import { createMemoryWindowStore } from "../evaluate/window/memory-store.js";
import type { Event } from "../ingest/event.js";
import type { RuleSet } from "../rules/types.js";
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
  /** Quiet spells ("then nothing for 20m"): the clock moves on by `quietMs` after `afterEvents` events. */
  readonly pauses?: readonly Pause[];
}

/** Pause is a quiet spell in a dry run: after `afterEvents` events, nothing arrives for `quietMs`. */
export interface Pause {
  readonly afterEvents: number;
  readonly quietMs: number;
}

/** DryRunSweep is one look for silent groups that fired absences: after how many events, at which clock. */
export interface DryRunSweep {
  readonly afterEvents: number;
  readonly clockMs: number;
  readonly alerts: readonly DryRunAlert[];
}

/**
 * DryRunAlert is one alert the dry run fired: the alert, the 1-based event that fired it and the clock then.
 * An absence fires between events: `atEvent` is the last event before it (0: none), `atMs` the moment the
 * silence reached `absent.for`.
 */
export interface DryRunAlert {
  readonly alert: Alert;
  readonly atEvent: number;
  readonly atMs: number;
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
  /** The sweeps that fired absences, in order. */
  readonly sweeps: readonly DryRunSweep[];
}

/**
 * dryRun feeds events through the rules in the order given (arrival order). The clock is the newest
 * event time seen so far (moved on by pauses); an event without a time of its own arrives at the clock
 * (the first timed event's time when none came before it). Each event is evaluated as its own batch at
 * the clock. Absence runs on the same clock: each event arrives at the clock, and before each event (and
 * at the end of each pause) the sweeper fires the groups silent for `absent.for` by then. The caller's
 * events are never changed.
 */
export async function dryRun(events: readonly Event[], opts: DryRunOptions): Promise<DryRunResult> {
  const absences = createMemoryAbsenceStore();
  const evaluator = createEvaluator({
    rules: () => opts.rules,
    catalog: opts.catalog,
    windows: createMemoryWindowStore(),
    buckets: createMemoryBucketStore(),
    absences,
    maxSamples: opts.maxSamples,
    maskPhoneNumbers: opts.maskPhoneNumbers,
    ...(opts.maxFutureSkewMs !== undefined ? { maxFutureSkewMs: opts.maxFutureSkewMs } : {}),
    ...(opts.maxWindowEntries !== undefined ? { maxWindowEntries: opts.maxWindowEntries } : {}),
    trace: opts.trace,
  });
  const alerts: DryRunAlert[] = [];
  const seen = new Set<string>();
  const steps: DryRunStep[] = [];
  const sweeps: DryRunSweep[] = [];
  let redeliveries = 0;
  const sweep = async (atMs: number, afterEvents: number) => {
    const deps = { rules: () => opts.rules, store: absences, catalog: opts.catalog, onFired: async () => {} };
    const fired = await sweepAbsences(deps, atMs);
    if (fired.length === 0) return;
    const found = fired.map((f) => ({ alert: f.alert, atEvent: afterEvents, atMs: dueMs(f, atMs) }));
    sweeps.push({ afterEvents, clockMs: atMs, alerts: found });
    for (const a of found) seen.add(a.alert.id);
    alerts.push(...found);
  };
  /** dueMs is when a fired silence reached `absent.for`: the moment the dry run reports it at. */
  const dueMs = (f: FiredAlert, clock: number): number => {
    const probe = f.window.probe;
    const rule = opts.rules.rules.find((r) => r.id === f.alert.rule.id);
    return probe.kind === "absent" && rule?.absent ? probe.silentSinceMs + rule.absent.forMs : clock;
  };
  const times = arrivalTimes(events);
  let clockMs = Number.NEGATIVE_INFINITY;
  const pause = async (afterEvents: number) => {
    for (const p of opts.pauses ?? []) {
      if (p.afterEvents !== afterEvents || !Number.isFinite(clockMs)) continue;
      clockMs += p.quietMs;
      await sweep(clockMs, afterEvents);
    }
  };
  for (const [i, original] of events.entries()) {
    const time = times[i] as (typeof times)[number];
    clockMs = Math.max(clockMs, time.clockMs);
    const event: Event = time.ownTime ? original : { ...original, timestamp: clockMs / 1000 };
    await sweep(clockMs, i);
    const evaluation = await evaluator.evaluate({ received_at: clockMs, events: [event] }, clockMs);
    steps.push({ event, ownTime: time.ownTime, evaluation });
    for (const { alert } of evaluation.fired) {
      if (seen.has(alert.id)) {
        redeliveries++;
        continue;
      }
      seen.add(alert.id);
      alerts.push({ alert, atEvent: i + 1, atMs: clockMs });
    }
    await pause(i + 1);
  }
  return { alerts, redeliveries, steps, sweeps };
}
