// `waba-alerts test`: the dry run — events through the rules on event time, memory windows, nothing sent.
import { createCatalog } from "../catalog/index.js";
import { loadRules } from "../rules/load.js";
import { formatDuration } from "../shared/duration.js";
import { type Problem, ProblemsError, formatProblem, sortProblems } from "../shared/problems.js";
import { loadCliConfig } from "./config.js";
import { dryRun } from "./dry-run.js";
import { readEventsFile } from "./events-file.js";
import { formatExplain } from "./explain.js";

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
  const { fired, explained } = await dryRun(input.events, {
    set,
    catalog: createCatalog(config.catalog),
    maxSamples: config.alerts.samples,
    maskPhoneNumbers: config.alerts.mask_phone_numbers,
  });
  const ordered = input.events;

  if (opts.json) {
    const alerts = fired.map(({ alert, at }) => ({
      rule: alert.rule.id,
      group: alert.group,
      count: alert.count,
      at,
    }));
    process.stdout.write(`${JSON.stringify({ alerts }, null, 2)}\n`);
    return 0;
  }
  if (opts.explain) process.stdout.write(formatExplain(explained, set));
  process.stdout.write(
    `${ordered.length} event(s), ${set.rules.length} rule(s): ${fired.length} alert(s) would fire\n`,
  );
  for (const { alert, at } of fired) {
    const group = Object.entries(alert.group)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    const window = alert.window_seconds > 0 ? ` in ${formatDuration(alert.window_seconds * 1000)}` : "";
    process.stdout.write(
      `${at}  ${alert.rule.severity.toUpperCase().padEnd(8)} ${alert.rule.id}  ${alert.count}${window}${group ? `  ${group}` : ""}\n`,
    );
  }
  return 0;
}
