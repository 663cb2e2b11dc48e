// `waba-alerts validate`: config and rules checked offline, every problem printed as file:line:col.
import { loadRules } from "../rules/load.js";
import { type Problem, ProblemsError, formatProblem, sortProblems } from "../shared/problems.js";
import { loadCliConfig } from "./config.js";

/** runValidate prints every problem of the config and the rules; resolves to the exit code. */
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
  const result = await loadRules(usePaths, {
    baseDir: paths.length > 0 ? process.cwd() : loaded.dir,
    channels: Object.keys(config.channels),
    defaults: config.defaults,
  });
  if (!result.ok) {
    print(result.problems);
    process.stderr.write(`${result.problems.length} problem(s) found\n`);
    return 1;
  }
  process.stdout.write(
    `ok: config ${loaded.file} and ${result.set.rules.length} rule(s) in ${result.set.files.length} file(s) are valid\n`,
  );
  return 0;
}

function print(problems: readonly Problem[]): void {
  for (const p of sortProblems(problems)) process.stderr.write(`${formatProblem(p)}\n`);
}
