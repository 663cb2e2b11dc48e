// `waba-alerts validate`: config, rules and rule tests checked offline, every problem printed as file:line:col.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { routeRuleProblems } from "../config/check-routing.js";
import { checkRuleFiles, loadRules } from "../rules/load.js";
import { parseYaml } from "../shared/yaml-source.js";
import { checkRuleTestFiles } from "../ruletest/check.js";
import { findTestFiles, TEST_FILE_PATTERN } from "../ruletest/files.js";
import { type Problem, ProblemsError, formatProblem, sortProblems } from "../shared/problems.js";
import { loadCliConfig } from "../config/cli.js";

/**
 * runValidate prints every problem of the config, the rules and the rule test files (`*.test.yaml`)
 * on the same paths; resolves to the exit code.
 */
export async function runValidate(configFlag: string | undefined, paths: readonly string[]): Promise<number> {
  let loaded: ReturnType<typeof loadCliConfig>;
  try {
    loaded = loadCliConfig(configFlag);
  } catch (err) {
    if (!(err instanceof ProblemsError)) throw err;
    print(err.problems);
    process.stderr.write("config is invalid; fix it first, then rules are checked against its channels\n");
    return 1;
  }
  const { config } = loaded;
  const usePaths = paths.length > 0 ? paths : config.rules.paths;
  const opts = {
    baseDir: paths.length > 0 ? process.cwd() : loaded.dir,
    channels: Object.keys(config.channels),
    defaults: config.defaults,
    maxFileBytes: loaded.settings.rules.maxFileBytes,
    maxFiles: loaded.settings.rules.maxFiles,
  };
  // A test file named on its own is checked as tests, never loaded as rules.
  const result = await loadRules(
    usePaths.filter((p) => !TEST_FILE_PATTERN.test(p)),
    opts,
  );
  const tests = await findTestFiles(usePaths, opts.baseDir);
  const problems = [
    ...(result.ok ? [] : result.problems),
    ...(result.ok ? routeRules(loaded.file, (await checkRuleFiles(usePaths, opts)).ids.map((r) => r.id)) : []),
    ...tests.problems,
    ...(await checkRuleTestFiles(tests.files, opts)),
  ];
  if (problems.length > 0 || !result.ok) {
    print(problems);
    process.stderr.write(`${problems.length} problem(s) found\n`);
    return 1;
  }
  const rules = `${result.set.rules.length} rule(s) in ${result.set.files.length} file(s)`;
  const what = tests.files.length
    ? `config ${loaded.file}, ${rules} and ${tests.files.length} rule test file(s)`
    : `config ${loaded.file} and ${rules}`;
  process.stdout.write(`ok: ${what} are valid\n`);
  return 0;
}

function print(problems: readonly Problem[]): void {
  for (const p of sortProblems(problems)) process.stderr.write(`${formatProblem(p)}\n`);
}

/** routeRules checks that every rule a route matches on is loaded, at its position in the config file. */
function routeRules(file: string, ruleIds: readonly string[]): Problem[] {
  const display = relative(process.cwd(), file) || file;
  const { source } = parseYaml(display, readFileSync(file, "utf8"));
  return routeRuleProblems(source, (source.doc.toJS() ?? {}) as Record<string, unknown>, ruleIds);
}
