// Checks rule test files without running them (for `waba-alerts validate`): their structure, and that
// every rule they expect an alert from exists in the rules the test loads.
import { checkRuleFiles, type RuleFilesCheck, type RuleLoadOptions } from "../rules/load.js";
import type { Problem } from "../shared/problems.js";
import { didYouMean } from "../shared/suggest.js";
import type { TestFileRef } from "./files.js";
import { readRuleTestFile } from "./parse.js";
import type { RuleReference } from "./types.js";

/** referenceProblem says what is wrong with one expected rule id, if anything. */
function referenceProblem(ref: RuleReference, rules: RuleFilesCheck): Problem | undefined {
  const ids = [...new Set(rules.ids.map((r) => r.id))];
  if (ids.includes(ref.rule)) {
    const spec = rules.specs.find((s) => s.id === ref.rule);
    if (!spec || spec.enabled) return undefined;
    const at = `${spec.source.file}:${spec.source.line}:${spec.source.col}`;
    const message = `rule "${ref.rule}" is disabled (enabled: false at ${at}), so this test never sees its alert; enable the rule or drop this expectation`;
    return { ...ref.where, message };
  }
  // A rule file that could not be read may hold the rule; its own problems say why.
  if (!rules.allIds) return undefined;
  const hint =
    didYouMean(ref.rule, ids) ||
    ` (it loads ${ids.length ? ids.join(", ") : "no rules"}); fix the id, or add the rule's file to the test's rules`;
  return { ...ref.where, message: `no rule "${ref.rule}" is loaded by this test${hint}` };
}

/**
 * checkRuleTestFiles parses every test file (problems named as `display`, relative to opts.baseDir)
 * and checks each expected rule id against the rules that test loads; it runs nothing.
 */
export async function checkRuleTestFiles(
  files: readonly TestFileRef[],
  opts: RuleLoadOptions,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const ruleSets = new Map<string, Promise<RuleFilesCheck>>();
  const rulesFor = (paths: readonly string[]) => {
    const key = JSON.stringify(paths);
    let loading = ruleSets.get(key);
    if (!loading) {
      loading = checkRuleFiles(paths, opts);
      ruleSets.set(key, loading);
    }
    return loading;
  };
  for (const f of files) {
    const parsed = await readRuleTestFile(f, opts.baseDir);
    problems.push(...parsed.problems);
    for (const ref of parsed.references) {
      const problem = referenceProblem(ref, await rulesFor(ref.rulePaths));
      if (problem) problems.push(problem);
    }
  }
  return problems;
}
