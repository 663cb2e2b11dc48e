// Loads every rule file under the configured paths; all files must be valid for the set to load.
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import type { Problem } from "../shared/problems.js";
import { sortProblems } from "../shared/problems.js";
import { type CompiledRule, compileRule } from "./compile.js";
import { buildRuleSet } from "./index-rules.js";
import type { Inhibition, RuleLoadResult } from "./types.js";
import { type RuleRefAt, ruleRefProblems } from "./validate-inhibit.js";
import { type RuleIdAt, validateRuleFile } from "./validate.js";
import type { RuleContext, RuleDefaults, RuleSpec } from "./types.js";

/** DEFAULT_MAX_RULE_FILE_BYTES is `rules.max_file_size` when the config does not say (1 MiB). */
export const DEFAULT_MAX_RULE_FILE_BYTES = 1024 * 1024;

/** DEFAULT_MAX_RULE_FILES is `rules.max_files` when the config does not say. */
export const DEFAULT_MAX_RULE_FILES = 1000;

/** RuleLoadOptions says where rule paths are relative to, and what the config offers rules. */
export interface RuleLoadOptions extends RuleContext {
  /** Rule paths are relative to this directory (the config file's). */
  readonly baseDir: string;
  readonly channels: readonly string[];
  readonly defaults: RuleDefaults;
  /** A larger rule file is refused unread (rules.max_file_size). */
  readonly maxFileBytes?: number;
  /** More rule files than this under the rule paths are refused (rules.max_files). */
  readonly maxFiles?: number;
}

/** RuleFileRef is one rule file found: its absolute path and the name problems show. */
export interface RuleFileRef {
  readonly path: string;
  readonly display: string;
}

// `*.test.yaml` files hold rule unit tests, not rules.
const TEST_FILE = /\.test\.ya?ml$/;

function isRuleFile(name: string): boolean {
  return /\.ya?ml$/.test(name) && !TEST_FILE.test(name);
}

function displayName(baseDir: string, abs: string): string {
  const rel = relative(baseDir, abs);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
}

/**
 * listRuleFiles expands files and directories (not recursively) into rule files, sorted by name
 * within each directory; a path that does not exist, or names a `*.test.yaml`, is a problem.
 */
export async function listRuleFiles(
  paths: readonly string[],
  baseDir: string,
): Promise<{ files: RuleFileRef[]; problems: Problem[] }> {
  const files: RuleFileRef[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (abs: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ path: abs, display: displayName(baseDir, abs) });
  };
  for (const p of paths) {
    const abs = resolve(baseDir, p);
    try {
      if ((await stat(abs)).isDirectory()) {
        const names = (await readdir(abs, { withFileTypes: true }))
          .filter((d) => d.isFile() && isRuleFile(d.name))
          .map((d) => d.name)
          .sort();
        for (const name of names) add(join(abs, name));
      } else if (TEST_FILE.test(abs)) {
        const message = `${basename(abs)} holds rule unit tests, not rules; list rule files or their directory here, and run the tests with waba-alerts test`;
        problems.push({ file: displayName(baseDir, abs), line: 1, col: 1, message });
      } else {
        add(abs);
      }
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : (err as Error).message;
      const message = `rule path ${reason}; fix or remove it in the config's rules.paths`;
      problems.push({ file: displayName(baseDir, abs), line: 1, col: 1, message });
    }
  }
  return { files, problems };
}

/** duplicateProblems reports every rule id used twice, at the later one, naming the first. */
export function duplicateProblems(ids: readonly RuleIdAt[]): Problem[] {
  const first = new Map<string, RuleIdAt>();
  const problems: Problem[] = [];
  for (const at of ids) {
    const earlier = first.get(at.id);
    if (!earlier) {
      first.set(at.id, at);
      continue;
    }
    const where = `${earlier.file}:${earlier.line}:${earlier.col}`;
    problems.push({
      file: at.file,
      line: at.line,
      col: at.col,
      message: `duplicate rule id "${at.id}", already used at ${where}; ids must be unique across all rule files, so rename one`,
    });
  }
  return problems;
}

/** RuleFilesCheck is every rule file under some paths read and validated, not compiled. */
export interface RuleFilesCheck {
  readonly files: readonly RuleFileRef[];
  /** The valid rules, defaults applied. */
  readonly specs: readonly RuleSpec[];
  /** Every rule id written, valid rule or not. */
  readonly ids: readonly RuleIdAt[];
  /** False when some rule could not be read far enough to know its id (a missing file, YAML syntax, …). */
  readonly allIds: boolean;
  /** Every valid `inhibit:` entry, in file order. */
  readonly inhibitions: readonly Inhibition[];
  /** Every problem of every file, duplicate ids included; empty means the set loads. */
  readonly problems: readonly Problem[];
}

/** mib writes a byte count the way the limits are usually set: 1.5 MiB, 800 KiB. */
function mib(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
  return `${Number((bytes / 1024).toFixed(1))} KiB`;
}

/**
 * readRuleFile reads one rule file, or says why it will not: unreadable, or larger than `maxBytes` (checked
 * before reading, so a huge file never reaches memory).
 */
async function readRuleFile(f: RuleFileRef, maxBytes: number): Promise<string | Problem> {
  const at = { file: f.display, line: 1, col: 1 };
  try {
    const { size } = await stat(f.path);
    const text = size > maxBytes ? undefined : await readFile(f.path, "utf8");
    if (text === undefined || Buffer.byteLength(text) > maxBytes) {
      const message = `rule file is ${mib(Math.max(size, Buffer.byteLength(text ?? "")))}, more than rules.max_file_size (${mib(maxBytes)}); split it into several files, or raise rules.max_file_size in the config`;
      return { ...at, message };
    }
    return text;
  } catch (err) {
    return { ...at, message: `cannot read rule file: ${(err as Error).message}` };
  }
}

/** tooManyFiles reports the files past `max` at the first of them; only the first `max` are read. */
function tooManyFiles(files: readonly RuleFileRef[], max: number): Problem[] {
  const first = files[max];
  if (!first) return [];
  const message = `${files.length} rule files under rules.paths, more than rules.max_files (${max}); this is the first one past the limit: merge rule files, or raise rules.max_files in the config`;
  return [{ file: first.display, line: 1, col: 1, message }];
}

/** checkRuleFiles reads and validates every rule file under `paths`, reporting every problem at once. */
export async function checkRuleFiles(
  paths: readonly string[],
  opts: RuleLoadOptions,
): Promise<RuleFilesCheck> {
  const listed = await listRuleFiles(paths, opts.baseDir);
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_RULE_FILES;
  const files = listed.files.slice(0, maxFiles);
  const problems = [...listed.problems, ...tooManyFiles(listed.files, maxFiles)];
  let allIds = problems.length === 0;
  const specs: RuleSpec[] = [];
  const ids: RuleIdAt[] = [];
  const inhibitions: Inhibition[] = [];
  const ruleRefs: RuleRefAt[] = [];
  for (const f of files) {
    const text = await readRuleFile(f, opts.maxFileBytes ?? DEFAULT_MAX_RULE_FILE_BYTES);
    if (typeof text !== "string") {
      problems.push(text);
      allIds = false;
      continue;
    }
    const check = validateRuleFile(f.display, text, opts);
    problems.push(...check.problems);
    specs.push(...check.specs);
    ids.push(...check.ids);
    inhibitions.push(...check.inhibitions);
    ruleRefs.push(...check.ruleRefs);
    allIds &&= check.allIds;
  }
  problems.push(...duplicateProblems(ids));
  // A rule in a file that could not be read may be the one named; that file's own problems say why.
  if (allIds)
    problems.push(
      ...ruleRefProblems(
        ruleRefs,
        ids.map((r) => r.id),
      ),
    );
  return { files, specs, ids, allIds, inhibitions, problems };
}

/** loadRules reads, validates and compiles every rule file; any problem in any file fails the load. */
export async function loadRules(paths: readonly string[], opts: RuleLoadOptions): Promise<RuleLoadResult> {
  const { files, specs, inhibitions, problems } = await checkRuleFiles(paths, opts);
  if (problems.length) return Object.freeze({ ok: false, problems: Object.freeze(sortProblems(problems)) });
  const rules: CompiledRule[] = specs.map(compileRule);
  return Object.freeze({
    ok: true,
    set: buildRuleSet(
      rules,
      files.map((f) => f.path),
      inhibitions,
    ),
  });
}
