// Holds the rule set in force, reloads it on demand or on file changes, and keeps the last good set on errors.
import { type FSWatcher, watch as fsWatch, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { type Problem, RuleError } from "../shared/problems.js";
import { loadRules, type RuleLoadOptions } from "./load.js";
import type { RuleLoadResult, RuleSet } from "./types.js";

/**
 * ReloadOrigin says what asked for a reload: this process (its file watch or the admin API) or another
 * process that reloaded (only a `local` reload is worth telling the others about).
 */
export type ReloadOrigin = "local" | "remote";

/** RuleRegistryHooks lets the app log, count and expose every reload attempt (not the first load, which throws). */
export interface RuleRegistryHooks {
  onReload?(result: RuleLoadResult, origin: ReloadOrigin): void;
}

/** RuleRegistry is the current rule set plus the means to reload it without a restart. */
export interface RuleRegistry {
  /** current returns the last rule set that loaded without problems. */
  current(): RuleSet;
  /** lastProblems returns the problems of the latest attempt; empty when it loaded. */
  lastProblems(): readonly Problem[];
  /** reload re-validates every file and swaps the whole set only when all of it is valid. */
  reload(origin?: ReloadOrigin): Promise<RuleLoadResult>;
  /** watch reloads (debounced) whenever a file under the rule paths changes. */
  watch(): void;
  /** close stops watching. */
  close(): void;
}

/** RELOAD_DEBOUNCE_MS lets an editor's save (write, rename, chmod) settle into one reload. */
export const RELOAD_DEBOUNCE_MS = 200;

function watchTargets(paths: readonly string[], baseDir: string): Map<string, Set<string> | undefined> {
  // Editors replace files by renaming, which ends a watch on the file itself, so watch directories
  // and filter by name for single-file paths (undefined = every file of the directory).
  const targets = new Map<string, Set<string> | undefined>();
  for (const p of paths) {
    const abs = resolve(baseDir, p);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      // Missing now; watching its directory lets it be noticed when it appears.
    }
    if (isDir) {
      targets.set(abs, undefined);
      continue;
    }
    const dir = dirname(abs);
    if (targets.has(dir) && targets.get(dir) === undefined) continue;
    const names = targets.get(dir) ?? new Set<string>();
    names.add(basename(abs));
    targets.set(dir, names);
  }
  return targets;
}

/**
 * unexpected turns a reload that threw (a bug, or a resource limit of a library) into a rejected reload like
 * any other, so it is logged, counted and shown instead of escaping as a 500 or an unhandled rejection.
 */
function unexpected(err: unknown): RuleLoadResult {
  const message = `the rule files could not be loaded: ${err instanceof Error ? err.message : String(err)}; the last good rules stay in force`;
  return Object.freeze({ ok: false, problems: Object.freeze([{ file: "rules.paths", line: 1, col: 1, message }]) });
}

/**
 * createRuleRegistry loads the rules once and throws RuleError if that first load fails,
 * since there is no earlier good set to fall back on.
 */
export async function createRuleRegistry(
  paths: readonly string[],
  opts: RuleLoadOptions,
  hooks: RuleRegistryHooks = {},
): Promise<RuleRegistry> {
  const first = await loadRules(paths, opts);
  if (!first.ok) throw new RuleError(first.problems);
  let set = first.set;
  let problems: readonly Problem[] = [];
  // Reloads run one after another so a slow, older load can never replace a newer one.
  let queue: Promise<unknown> = Promise.resolve();
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function reload(origin: ReloadOrigin = "local"): Promise<RuleLoadResult> {
    const next = queue.then(async () => {
      const result = await loadRules(paths, opts).catch(unexpected);
      if (result.ok) set = result.set;
      problems = result.ok ? [] : result.problems;
      hooks.onReload?.(result, origin);
      return result;
    });
    queue = next.catch(() => undefined);
    return next;
  }

  function schedule(): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      reload().catch(() => undefined);
    }, RELOAD_DEBOUNCE_MS);
  }

  function watch(): void {
    if (watchers.length || closed) return;
    for (const [dir, only] of watchTargets(paths, opts.baseDir)) {
      try {
        const w = fsWatch(dir, (_event, name) => {
          if (only === undefined || name === null || only.has(String(name))) schedule();
        });
        // A deleted directory must not crash the process; the next reload reports the missing path.
        w.on("error", () => schedule());
        watchers.push(w);
      } catch {
        // The directory is missing; reload() already reports the path as a problem.
      }
    }
  }

  function close(): void {
    closed = true;
    clearTimeout(timer);
    for (const w of watchers) w.close();
    watchers = [];
  }

  return {
    current: () => set,
    lastProblems: () => problems,
    reload,
    watch,
    close,
  };
}
