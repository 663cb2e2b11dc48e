// `waba-alerts test`: the dry run — events through the rules on event time, memory windows, nothing sent.
import { createCatalog } from "../catalog/index.js";
import { type DryRunAlert, dryRun } from "../dryrun/run.js";
import { compileRoutes } from "../route/routes.js";
import { lineFields } from "../model/alert.js";
import { loadRules } from "../rules/load.js";
import { countText } from "../notify/present.js";
import { type Problem, ProblemsError, formatProblem, sortProblems } from "../shared/problems.js";
import { loadCliConfig } from "../config/cli.js";
import { readEventsFile } from "../dryrun/events-file.js";
import { explainSteps, explainSweeps, formatExplain } from "../dryrun/explain.js";

/** TestOptions are the flags of `waba-alerts test`. */
export interface TestOptions {
  events: string;
  config?: string;
  rules?: string[];
  json?: boolean;
  explain?: boolean;
}

function fail(problems: readonly Problem[]): number {
  for (const p of sortProblems(problems)) process.stderr.write(`${formatProblem(p)}\n`);
  return 1;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** fate says where a dry-run alert would go: its channels, or the firing alert that inhibits it. */
function fate(a: DryRunAlert): string {
  if (a.state === "inhibited") return `inhibited by ${a.inhibitedBy?.rule.id ?? "an alert"} (not sent)`;
  return a.channels.length ? `→ ${a.channels.join(", ")}` : "→ no channel (recorded only)";
}

function line(a: DryRunAlert): string {
  const { alert, atMs } = a;
  const group = Object.entries(alert.group)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const severity = alert.rule.severity.toUpperCase().padEnd(8);
  return `${iso(atMs)}  ${severity} ${alert.rule.id}  ${countText(alert)}${group ? `  ${group}` : ""}  ${fate(a)}\n`;
}

/** runTest runs the dry run and prints its result; resolves to the exit code. */
export async function runTest(opts: TestOptions): Promise<number> {
  let loaded: ReturnType<typeof loadCliConfig>;
  try {
    loaded = loadCliConfig(opts.config);
  } catch (err) {
    if (err instanceof ProblemsError) return fail(err.problems);
    throw err;
  }
  const { config } = loaded;
  const rules = await loadRules(opts.rules?.length ? opts.rules : config.rules.paths, {
    baseDir: opts.rules?.length ? process.cwd() : loaded.dir,
    channels: Object.keys(config.channels),
    defaults: config.defaults,
  });
  if (!rules.ok) return fail(rules.problems);
  const input = readEventsFile(opts.events);
  if (!input.ok) return fail(input.problems);

  const set = rules.set;
  const run = await dryRun(input.events, {
    rules: set,
    catalog: createCatalog(config.catalog),
    maxSamples: config.alerts.samples,
    maskPhoneNumbers: config.alerts.mask_phone_numbers,
    maxFutureSkewMs: loaded.settings.rules.maxFutureSkewMs,
    maxWindowEntries: loaded.settings.rules.maxWindowEntries,
    trace: opts.explain === true,
    routes: compileRoutes(config.routes),
  });
  const explained = opts.explain ? explainSteps(run.steps, set) : undefined;
  const silences = opts.explain ? explainSweeps(run.sweeps) : undefined;

  if (opts.json) {
    const alerts = run.alerts.map(({ alert, atMs, state, inhibitedBy, channels }) => ({
      rule: alert.rule.id,
      group: alert.group,
      count: alert.count,
      ...lineFields(alert.count, { ofCount: alert.of_count, baselineCount: alert.baseline_count }),
      ...(alert.silent_since ? { silent_since: alert.silent_since } : {}),
      at: iso(atMs),
      state,
      channels,
      ...(inhibitedBy ? { inhibited_by: { id: inhibitedBy.id, rule: inhibitedBy.rule.id } } : {}),
    }));
    const body = {
      alerts,
      redeliveries: run.redeliveries,
      ...(explained ? { explain: explained } : {}),
      ...(silences?.length ? { silences } : {}),
    };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  if (explained) process.stdout.write(formatExplain(explained, silences));
  const again =
    run.redeliveries === 0
      ? ""
      : run.redeliveries === 1
        ? " (and 1 redelivery of an alert already fired)"
        : ` (and ${run.redeliveries} redeliveries of alerts already fired)`;
  const inhibited = run.alerts.filter((a) => a.state === "inhibited").length;
  const held = inhibited ? `, ${inhibited} of them inhibited` : "";
  process.stdout.write(
    `${input.events.length} event(s), ${set.rules.length} rule(s): ${run.alerts.length} alert(s) would fire${held}${again}\n`,
  );
  for (const a of run.alerts) process.stdout.write(line(a));
  return 0;
}
