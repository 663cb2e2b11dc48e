// Problems found in a user's file (config, rules, events), each pinned to file:line:col.

/** Problem is one thing wrong in a user's file, with the position an editor can jump to. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** Position is where something is written in a user's file (1-based, as editors count). */
export type Position = Omit<Problem, "message">;

/** formatProblem renders a problem the way compilers do: `file:line:col: message`. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

/** sortProblems orders problems by file, then line, then column, so output is stable. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message),
  );
}

/** ProblemsError carries every problem found in one pass, so users fix them all at once. */
export class ProblemsError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[], what = "input") {
    const sorted = sortProblems(problems);
    super(`invalid ${what}:\n${sorted.map(formatProblem).join("\n")}`);
    this.name = "ProblemsError";
    this.problems = sorted;
  }
}

/** ConfigError is a config file that cannot be used: every problem in it, each at file:line:col. */
export class ConfigError extends ProblemsError {
  constructor(problems: readonly Problem[]) {
    super(problems, "config");
    this.name = "ConfigError";
  }
}

/** RuleError is a set of rule files that cannot be loaded: every problem in them, each at file:line:col. */
export class RuleError extends ProblemsError {
  constructor(problems: readonly Problem[]) {
    super(problems, "rules");
    this.name = "RuleError";
  }
}
