// Every shipped default rule is covered by a passing rule unit test in rules/*.test.yaml.
import { describe, expect, it } from "vitest";
import { loadRules } from "../../../src/rules/load.js";
import { formatRuleTestReport } from "../../../src/ruletest/report.js";
import { runRuleTests } from "../../../src/ruletest/run.js";
import { OPTS } from "./support.js";

describe("shipped rule tests", () => {
  it("all pass", async () => {
    const report = await runRuleTests(["rules"], OPTS);
    expect(report.ok, formatRuleTestReport(report)).toBe(true);
    expect(report.files).toEqual([
      "rules/account.test.yaml",
      "rules/delivery.test.yaml",
      "rules/flows.test.yaml",
      "rules/numbers.test.yaml",
      "rules/templates.test.yaml",
      "rules/traffic.test.yaml",
    ]);
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThan(0);
  });

  it("name every shipped rule in an expectation, so a new default rule without a test fails here", async () => {
    const loaded = await loadRules(["rules"], OPTS);
    if (!loaded.ok) throw new Error("shipped rules do not load");
    const report = await runRuleTests(["rules"], OPTS);
    const expected = new Set(report.results.flatMap((r) => r.expected.map((e) => e.rule)));
    const untested = loaded.set.rules.map((r) => r.id).filter((id) => !expected.has(id));
    expect(untested, "add a firing and a non-firing case for these rules to rules/*.test.yaml").toEqual([]);
  });

  it("cover each shipped rule with a test where it fires and a test where it stays silent", async () => {
    const loaded = await loadRules(["rules"], OPTS);
    if (!loaded.ok) throw new Error("shipped rules do not load");
    const report = await runRuleTests(["rules"], OPTS);
    const fired = new Set(report.results.flatMap((r) => r.actual.map((a) => a.rule)));
    // A counting rule needs a passing test where it matched events yet stayed silent (N, not N+1);
    // a rule that fires on every match needs a passing test with an event it did not fire on.
    const silentSomewhere = (id: string, counts: boolean) =>
      report.results.some((r) => {
        const fires = r.actual.filter((a) => a.rule === id).length;
        if (!r.passed) return false;
        return counts ? (r.matched[id] ?? 0) > 0 && fires === 0 : fires > 0 && fires < r.events;
      });
    for (const { id, threshold, absent } of loaded.set.rules) {
      expect(fired.has(id), `${id} never fires in rules/*.test.yaml`).toBe(true);
      const counts = threshold !== undefined || absent !== undefined;
      expect(silentSomewhere(id, counts), `${id} has no case where it stays silent`).toBe(true);
    }
  });
});
