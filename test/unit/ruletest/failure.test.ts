// A wrong expectation fails the run with a readable diff (golden text), and the exit is non-zero.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatRuleTestReport } from "../../../src/ruletest/report.js";
import { runRuleTests } from "../../../src/ruletest/run.js";
import { OPTS, REPO } from "./support.js";

const FIXTURES = "test/unit/ruletest/fixtures";
const GOLDEN = join(REPO, FIXTURES, "wrong.golden.txt");

describe("a failing rule test", () => {
  it("reports expected vs got per test, with file:line, field differences and why", async () => {
    const report = await runRuleTests([`${FIXTURES}/wrong.test.yaml`], OPTS);
    expect(report.ok).toBe(false);
    expect(report.failed).toBe(3);
    expect(report.passed).toBe(1);
    const text = formatRuleTestReport(report);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("prints fired alerts in the expectation syntax, so they can be pasted into the test", async () => {
    const report = await runRuleTests([`${FIXTURES}/wrong.test.yaml`], OPTS);
    const silence = report.results.find((r) => r.name === "expects silence but the spam rule fires");
    expect(silence?.diff).toContain(
      '+ { rule: spam-rate-limit, group: { phone_number_id: "222" }, count: 6, at_event: 6, at: "+50s" }',
    );
  });
});

describe("a rule test about where alerts go", () => {
  it("says when an alert is inhibited, or reaches other channels, than the test expects", async () => {
    const routes = [{ match: { waba_id: "w2" }, notify: ["forward"], continue: false }];
    const report = await runRuleTests([`${FIXTURES}/wrong-fate.test.yaml`], { ...OPTS, routes });
    expect(report.failed).toBe(2);
    const text = formatRuleTestReport(report);
    const golden = join(REPO, FIXTURES, "wrong-fate.golden.txt");
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, "utf8"));
  });
});
