// The one dry-run engine behind `waba-alerts test --events`, rule tests and the console: memory windows, one clock.
import { createMemoryAbsenceStore } from "../evaluate/absence/memory-store.js";
import { sweepAbsences } from "../evaluate/absence/sweeper.js";
import type { Alert } from "../model/alert.js";
import { createEvaluator, type Evaluation, type FiredAlert } from "../evaluate/evaluator.js";
import type { CatalogLookup } from "../evaluate/facts.js";
import { combineInspectors } from "../evaluate/inspect.js";
import { createMemoryBucketStore } from "../evaluate/window/bucket-memory.js";
import { createMemoryWindowStore } from "../evaluate/window/memory-store.js";
import type { Event } from "../model/event.js";
import type { Route } from "../route/routes.js";
import type { RuleSet } from "../rules/types.js";
import { createAftermath, type Fate } from "./aftermath.js";
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
 * DryRunAlert is one alert the dry run fired: the alert, the 1-based event that fired it, the clock then,
 * and what would become of it (sent to `channels`, or inhibited by a firing alert). An absence fires
 * between events: `atEvent` is the last event before it (0: none), `atMs` the moment the silence reached
 * `absent.for`.
 */
export interface DryRunAlert extends Fate {
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

/** DryRunResult is a whole run: each distinct alert once, redeliveries counted, every step and sweep. */
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
 * the clock. Absence runs on the same clock: before each event (and at the end of each pause) the
 * sweeper fires the groups silent for `absent.for` by then. Fired alerts go through inhibition and
 * routes as a worker would, and sources resolve on the same clock. The caller's events are never changed.
 */
export async function dryRun(events: readonly Event[], opts: DryRunOptions): Promise<DryRunResult> {
  const windows = createMemoryWindowStore();
  const buckets = createMemoryBucketStore();
  const absences = createMemoryAbsenceStore();
  const evaluator = createEvaluator({
    rules: () => opts.rules,
    catalog: opts.catalog,
    windows,
    buckets,
    absences,
    maxSamples: opts.maxSamples,
    maskPhoneNumbers: opts.maskPhoneNumbers,
    ...(opts.maxFutureSkewMs !== undefined ? { maxFutureSkewMs: opts.maxFutureSkewMs } : {}),
    ...(opts.maxWindowEntries !== undefined ? { maxWindowEntries: opts.maxWindowEntries } : {}),
    trace: opts.trace,
  });
  const aftermath = createAftermath(
    opts.rules.inhibitions,
    opts.routes ?? [],
    combineInspectors({ windows, buckets, absences }),
  );
  const alerts: DryRunAlert[] = [];
  const seen = new Set<string>();
  const steps: DryRunStep[] = [];
  const sweeps: DryRunSweep[] = [];
  let redeliveries = 0;

  /** settle records the new ones among `fired` (a redelivered alert id is counted, not repeated) with their fates. */
  const settle = async (fired: readonly FiredAlert[], clockMs: number, at: (f: FiredAlert) => Omit<DryRunAlert, keyof Fate | "alert">) => {
    const fresh = fired.filter(({ alert }) => {
      if (!seen.has(alert.id)) return seen.add(alert.id);
      redeliveries++;
      return false;
    });
    const fates = await aftermath.fates(fresh, clockMs);
    const settled = fresh.map((f, k) => ({ alert: f.alert, ...at(f), ...(fates[k] as Fate) }));
    alerts.push(...settled);
    return settled;
  };
  /** dueMs is when a fired silence reached `absent.for`: the moment the dry run reports it at. */
  const dueMs = (f: FiredAlert, clock: number): number => {
    const probe = f.window.probe;
    const rule = opts.rules.rules.find((r) => r.id === f.alert.rule.id);
    return probe.kind === "absent" && rule?.absent ? probe.silentSinceMs + rule.absent.forMs : clock;
  };
  const sweep = async (clockMs: number, afterEvents: number) => {
    await aftermath.resolveDue(clockMs);
    const deps = { rules: () => opts.rules, store: absences, catalog: opts.catalog, onFired: async () => {} };
    const fired = await sweepAbsences(deps, clockMs);
    if (fired.length === 0) return;
    const found = await settle(fired, clockMs, (f) => ({ atEvent: afterEvents, atMs: dueMs(f, clockMs) }));
    if (found.length > 0) sweeps.push({ afterEvents, clockMs, alerts: found });
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
    const now = clockMs;
    await settle(evaluation.fired, now, () => ({ atEvent: i + 1, atMs: now }));
    await pause(i + 1);
  }
  return { alerts, redeliveries, steps, sweeps };
}
