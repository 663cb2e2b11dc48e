// The dry run's engine, shared by `waba-alerts test --events` and the console's POST /api/rules/dry-run.
import type { Alert } from "../evaluate/alert.js";
import { createEvaluator, type Evaluation } from "../evaluate/evaluator.js";
import type { CatalogLookup } from "../evaluate/facts.js";
import { createMemoryWindowStore } from "../evaluate/window/memory-store.js";
import type { Event } from "../ingest/event.js";
import type { RuleSet } from "../rules/types.js";
import type { Problem } from "../shared/problems.js";
import { parseEvents } from "./events-file.js";
import { formatExplain } from "./explain.js";

/** DryRunAlert is one alert the dry run says would fire, with the event time it would fire at. */
export interface DryRunAlert {
  alert: Alert;
  at: string;
}

/** DryRunDeps are the rules and alert settings a dry run evaluates with; windows live in memory only. */
export interface DryRunDeps {
  set: RuleSet;
  catalog: CatalogLookup;
  maxSamples: number;
  maskPhoneNumbers: boolean;
}

/** DryRunResult is every alert that would fire, oldest first, and each event's evaluation for --explain. */
export interface DryRunResult {
  fired: DryRunAlert[];
  explained: Array<{ evaluation: Evaluation; nowMs: number }>;
}

/**
 * dryRun feeds `events` through the rules in memory: file order is arrival order and each event keeps
 * its own time. The clock is the newest event time seen so far, so an old event that arrives after
 * newer ones is late, as it would be live. Nothing touches Redis and nothing is sent.
 */
export async function dryRun(events: readonly Event[], deps: DryRunDeps): Promise<DryRunResult> {
  const { set } = deps;
  const evaluator = createEvaluator({
    rules: () => set,
    catalog: deps.catalog,
    windows: createMemoryWindowStore(),
    maxSamples: deps.maxSamples,
    maskPhoneNumbers: deps.maskPhoneNumbers,
  });
  const fired: DryRunAlert[] = [];
  const explained: DryRunResult["explained"] = [];
  let clockMs = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    clockMs = Math.max(clockMs, event.timestamp * 1000);
    const evaluation = await evaluator.evaluate({ received_at: clockMs, events: [event] }, clockMs);
    for (const alert of evaluation.alerts)
      fired.push({ alert, at: new Date(event.timestamp * 1000).toISOString() });
    explained.push({ evaluation, nowMs: clockMs });
  }
  fired.sort((a, b) => a.at.localeCompare(b.at));
  return { fired, explained };
}

/** DryRunReport is what the console shows for pasted events: the alerts and the `--explain` text. */
export type DryRunReport =
  | { ok: true; events: number; rules: number; alerts: DryRunAlert[]; explain: string }
  | { ok: false; problems: Problem[] };

/**
 * dryRunText is the adapter for pasted text (a Meta body, a JSON array, or JSON lines) named `name` in
 * problems; more than `maxEvents` events is a problem rather than a long stall of the caller.
 */
export async function dryRunText(
  text: string,
  name: string,
  deps: DryRunDeps,
  maxEvents = Number.POSITIVE_INFINITY,
): Promise<DryRunReport> {
  const input = parseEvents(text, name);
  if (!input.ok) return { ok: false, problems: input.problems };
  if (input.events.length > maxEvents) {
    const message = `${input.events.length} events: a dry run takes at most ${maxEvents} at once; split them up`;
    return { ok: false, problems: [{ file: name, line: 1, col: 1, message }] };
  }
  const { fired, explained } = await dryRun(input.events, deps);
  return {
    ok: true,
    events: input.events.length,
    rules: deps.set.rules.length,
    alerts: fired,
    explain: formatExplain(explained, deps.set),
  };
}
