// `waba-alerts test PATH…`: runs the rule unit tests found there and prints the report.
import { loadCliConfig } from "../config/cli.js";
import { formatProblem, ProblemsError } from "../shared/problems.js";
import { formatRuleTestReport } from "../ruletest/report.js";
import { runRuleTests } from "../ruletest/run.js";

/** RuleTestCommandOptions are the flags `waba-alerts test PATH…` honours. */
export interface RuleTestCommandOptions {
  readonly config?: string;
  /** Print the report as JSON instead of text. */
  readonly json?: boolean;
}

/**
 * runRuleTestCommand runs the tests in `paths` (relative to the working directory) with the config's
 * channels, defaults and catalog, prints the report and resolves to the exit code: 0 all passed, 1 otherwise.
 */
export async function runRuleTestCommand(
  paths: readonly string[],
  opts: RuleTestCommandOptions = {},
): Promise<number> {
  let loaded: ReturnType<typeof loadCliConfig>;
  try {
    loaded = loadCliConfig(opts.config);
  } catch (err) {
    if (!(err instanceof ProblemsError)) throw err;
    for (const p of err.problems) process.stderr.write(`${formatProblem(p)}\n`);
    return 1;
  }
  const { config } = loaded;
  const report = await runRuleTests(paths, {
    baseDir: process.cwd(),
    channels: Object.keys(config.channels),
    defaults: config.defaults,
    catalogOverrides: config.catalog,
    routes: config.routes,
  });
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatRuleTestReport(report));
  return report.ok ? 0 : 1;
}
