import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRules } from "../../../src/rules/load.js";
import { formatProblem } from "../../../src/shared/problems.js";
import { expectGolden } from "../../helpers/cli.js";
import { OPTS, REPO } from "./support.js";

const FIXTURES = join(REPO, "test/fixtures/rules");
const GOLDEN = join(REPO, "test/fixtures/golden/rules");
const broken = readdirSync(join(FIXTURES, "broken"), { withFileTypes: true })
  .map((d) => d.name)
  .sort();

// Cases that are allowed several problems; every other broken file shows exactly one kind of mistake.
const MANY = new Set(["several-problems.yaml", "duplicate-ids"]);

describe("validation errors (golden files)", () => {
  it.each(broken)("%s", async (name) => {
    const result = await loadRules([`broken/${name}`], { ...OPTS, baseDir: FIXTURES });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    if (!MANY.has(name)) expect(problems).toHaveLength(1);
    const text = `${problems.map(formatProblem).join("\n")}\n`;
    expectGolden(GOLDEN, `${name.replace(/\.yaml$/, "")}.txt`, text);
  });

  it("reports every problem of every file in one pass", async () => {
    const result = await loadRules(["broken"], { ...OPTS, baseDir: FIXTURES });
    expect(result.ok).toBe(false);
    const files = new Set(result.ok ? [] : result.problems.map((p) => p.file));
    expect(files.size).toBe(broken.filter((n) => n.endsWith(".yaml")).length);
  });

  it("a rule test file is never loaded as rules, even when named on its own", async () => {
    const result = await loadRules(["rules/delivery.test.yaml"], OPTS);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      "rules/delivery.test.yaml:1:1: delivery.test.yaml holds rule unit tests, not rules; list rule files or their directory here, and run the tests with waba-alerts test",
    ]);
  });

  it("a missing path is a problem, not an empty rule set", async () => {
    const result = await loadRules(["nope"], { ...OPTS, baseDir: FIXTURES });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      "nope:1:1: rule path not found; fix or remove it in the config's rules.paths",
    ]);
  });
});
