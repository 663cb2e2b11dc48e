// Finds rule unit-test files (`*.test.yaml`) among the paths `waba-alerts test` is given.
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Problem } from "../shared/problems.js";
import { displayPath } from "./parse.js";

/** TEST_FILE_PATTERN is how a rule unit-test file is named. */
export const TEST_FILE_PATTERN = /\.test\.ya?ml$/;

/** TestFileRef is one test file found: its absolute path and the name reports show. */
export interface TestFileRef {
  readonly path: string;
  readonly display: string;
}

/**
 * listTestFiles expands files and directories (not recursively, like rule paths) into test files,
 * sorted by name; a missing path, a directory without tests or a file not named *.test.yaml is a problem.
 */
export async function listTestFiles(
  paths: readonly string[],
  baseDir: string,
): Promise<{ files: TestFileRef[]; problems: Problem[] }> {
  const files: TestFileRef[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (abs: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ path: abs, display: displayPath(baseDir, abs) });
  };
  for (const p of paths) {
    const abs = resolve(baseDir, p);
    const problem = (message: string) =>
      problems.push({ file: displayPath(baseDir, abs), line: 1, col: 1, message });
    try {
      if ((await stat(abs)).isDirectory()) {
        const names = (await readdir(abs, { withFileTypes: true }))
          .filter((d) => d.isFile() && TEST_FILE_PATTERN.test(d.name))
          .map((d) => d.name)
          .sort();
        if (names.length === 0) problem("no rule test files (*.test.yaml) in this directory");
        for (const name of names) add(join(abs, name));
      } else if (TEST_FILE_PATTERN.test(abs)) {
        add(abs);
      } else {
        problem(
          "not a rule test file: rule tests are named *.test.yaml (to dry-run events, use --events FILE)",
        );
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problem(code === "ENOENT" ? "not found" : `cannot read: ${(err as Error).message}`);
    }
  }
  return { files, problems };
}

/**
 * findTestFiles picks the test files out of rule paths (as `validate` is given them): the
 * `*.test.yaml` files in each directory, and each path named `*.test.yaml`. Only such a path that
 * cannot be read is a problem; the rest is the rule loader's to report.
 */
export async function findTestFiles(
  paths: readonly string[],
  baseDir: string,
): Promise<{ files: TestFileRef[]; problems: Problem[] }> {
  const files: TestFileRef[] = [];
  const problems: Problem[] = [];
  for (const p of paths) {
    const abs = resolve(baseDir, p);
    const isDir = await stat(abs).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (isDir || TEST_FILE_PATTERN.test(abs)) {
      const found = await listTestFiles([p], baseDir);
      files.push(...found.files.filter((f) => !files.some((g) => g.path === f.path)));
      // A rule directory without tests is fine here; a named test file that is missing is not.
      if (!isDir) problems.push(...found.problems);
    }
  }
  return { files, problems };
}
