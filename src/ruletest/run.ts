// Runs rule unit tests: each test's events through the real rules and evaluator on fresh memory windows.
import { createCatalog, type Catalog } from "../catalog/index.js";
import type { Config } from "../config/schema.js";
import { dryRun } from "../dryrun/run.js";
import { compileRoutes, type Route } from "../route/routes.js";
import { loadRules } from "../rules/load.js";
import type { RuleLoadResult, RuleSet } from "../rules/types.js";
import { formatProblem, sortProblems } from "../shared/problems.js";
import { diffAlerts } from "./compare.js";
import { listTestFiles } from "./files.js";
import { readRuleTestFile } from "./parse.js";
import type { ActualAlert, RuleTestCase, RuleTestReport, RuleTestResult } from "./types.js";
import { WhyTally } from "./why.js";
import type { RuleDefaults } from "../rules/types.js";

/** RuleTestOptions says where paths are relative to and what the config offers rules (as for loadRules). */
export interface RuleTestOptions {
  /** Test paths, and the names reports show, are relative to this directory. */
  readonly baseDir: string;
  readonly channels: readonly string[];
  readonly defaults: RuleDefaults;
  /** The config's `catalog:` overrides, so catalog facts match production. */
  readonly catalogOverrides?: Parameters<typeof createCatalog>[0];
  /** The config's `routes:`, so tests see the channels production would reach. */
  readonly routes?: Config["routes"];
}

// Samples do not take part in any comparison; a small number keeps runs cheap.
const MAX_SAMPLES = 1;

/** runCase runs one test's events through the dry-run engine (as `test --events` does) and compares the alerts. */
async function runCase(
  c: RuleTestCase,
  set: RuleSet,
  catalog: Catalog,
  routes: readonly Route[],
): Promise<RuleTestResult> {
  const run = await dryRun(c.events, {
    rules: set,
    catalog,
    maxSamples: MAX_SAMPLES,
    maskPhoneNumbers: true,
    trace: true,
    routes,
    pauses: c.pauses,
  });
  const tally = new WhyTally();
  for (const step of run.steps) tally.add(step.evaluation.trace);
  const actual: ActualAlert[] = run.alerts.map(({ alert, atEvent, atMs, state, inhibitedBy, channels }) => ({
    rule: alert.rule.id,
    group: alert.group,
    count: alert.count,
    ...(alert.of_count !== undefined ? { ofCount: alert.of_count } : {}),
    ...(alert.baseline_count !== undefined ? { baselineCount: alert.baseline_count } : {}),
    atEvent,
    atMs,
    inhibited: state === "inhibited",
    ...(inhibitedBy ? { inhibitedBy: inhibitedBy.rule.id } : {}),
    channels: [...channels].sort(),
  }));
  const ruleIds = set.rules.map((r) => r.id);
  const diff = diffAlerts(c.expected, actual, {
    startMs: c.startMs,
    ruleIds,
    why: (id) => tally.why(set.rules.find((r) => r.id === id)),
    showChannels: c.expected.some((e) => e.channels !== undefined),
  });
  return {
    name: c.name,
    where: c.where,
    passed: diff.length === 0,
    startMs: c.startMs,
    events: c.events.length,
    expected: c.expected,
    actual,
    matched: tally.matched(),
    diff,
  };
}

/**
 * runRuleTests finds the `*.test.yaml` files under `paths` (files or directories), runs every test
 * in them and reports each result; invalid files and rules that fail to load are problems.
 */
export async function runRuleTests(paths: readonly string[], opts: RuleTestOptions): Promise<RuleTestReport> {
  const { files, problems } = await listTestFiles(paths, opts.baseDir);
  const catalog = createCatalog(opts.catalogOverrides);
  const routes = compileRoutes(opts.routes ?? []);
  const ruleSets = new Map<string, Promise<RuleLoadResult>>();
  const loadOnce = (rulePaths: readonly string[]) => {
    const key = JSON.stringify(rulePaths);
    let loading = ruleSets.get(key);
    if (!loading) {
      loading = loadRules(rulePaths, {
        baseDir: opts.baseDir,
        channels: opts.channels,
        defaults: opts.defaults,
      });
      ruleSets.set(key, loading);
    }
    return loading;
  };
  const results: RuleTestResult[] = [];
  for (const f of files) {
    const parsed = await readRuleTestFile(f, opts.baseDir);
    problems.push(...parsed.problems);
    for (const c of parsed.cases) {
      const rules = await loadOnce(c.rulePaths);
      if (!rules.ok) {
        problems.push(...rules.problems);
        continue;
      }
      results.push(await runCase(c, rules.set, catalog, routes));
    }
  }
  const unique = [...new Map(problems.map((p) => [formatProblem(p), p] as const)).values()];
  const passed = results.filter((r) => r.passed).length;
  return Object.freeze({
    files: files.map((f) => f.display),
    results,
    problems: sortProblems(unique),
    passed,
    failed: results.length - passed,
    ok: unique.length === 0 && passed === results.length,
  });
}
