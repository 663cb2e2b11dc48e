// The console's dry run: pasted text through the one dry-run engine, with the explain trace as text.
import { explainSteps, formatExplain } from "./explain.js";
import { parseEvents } from "./events-file.js";
import type { Alert } from "../model/alert.js";
import type { Problem } from "../shared/problems.js";
import { type DryRunOptions, dryRun } from "./run.js";

/** DryRunReport is what the console shows for pasted events: the alerts (with the clock they fired at) and the explain text. */
export type DryRunReport =
  | { ok: true; events: number; rules: number; alerts: Array<{ alert: Alert; at: string }>; explain: string }
  | { ok: false; problems: Problem[] };

/**
 * dryRunText runs pasted text (a Meta body, a JSON array, or JSON lines) named `name` in problems,
 * exactly as `waba-alerts test --events --explain` would; more than `maxEvents` events is a problem
 * rather than a long stall of the caller.
 */
export async function dryRunText(
  text: string,
  name: string,
  opts: Omit<DryRunOptions, "trace">,
  maxEvents = Number.POSITIVE_INFINITY,
): Promise<DryRunReport> {
  const input = parseEvents(text, name);
  if (!input.ok) return { ok: false, problems: input.problems };
  if (input.events.length > maxEvents) {
    const message = `${input.events.length} events: a dry run takes at most ${maxEvents} at once; split them up`;
    return { ok: false, problems: [{ file: name, line: 1, col: 1, message }] };
  }
  const run = await dryRun(input.events, { ...opts, trace: true });
  return {
    ok: true,
    events: input.events.length,
    rules: opts.rules.rules.length,
    alerts: run.alerts.map(({ alert, atMs }) => ({ alert, at: new Date(atMs).toISOString() })),
    explain: formatExplain(explainSteps(run.steps, opts.rules)),
  };
}
