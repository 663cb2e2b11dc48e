// Config-loading test helper: the formatted problems a config text is rejected with.
import { parseConfig } from "../../src/config/load.js";
import { formatProblem, ProblemsError } from "../../src/shared/problems.js";

/** configProblems is every `file:line:col: message` parseConfig reports for `text`; throws when it is valid. */
export function configProblems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig("config.yaml", text, env);
  } catch (err) {
    if (err instanceof ProblemsError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error("expected the config to be rejected");
}
