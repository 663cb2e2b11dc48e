// `waba-alerts validate`: config, rules and the rule tests beside them, every problem at once as file:line:col.
import { afterEach, describe, expect, it, vi } from "vitest";
import { type CliRun, captureCli, expectGolden } from "../../helpers/cli.js";
import { runValidate } from "../../../src/cli/validate.js";

const CONFIG = "config.example.yaml";
const FIXTURES = "test/fixtures/validate";
const GOLDEN = "test/fixtures/golden/validate";

const validate = (...paths: string[]): Promise<CliRun> => captureCli(() => runValidate(CONFIG, paths));

const golden = (name: string, actual: string): void => expectGolden(GOLDEN, name, actual);

afterEach(() => vi.restoreAllMocks());

describe("waba-alerts validate", () => {
  it("checks the shipped rules and their rule tests", async () => {
    const r = await validate("rules");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^ok: config .*, \d+ rule\(s\) in 6 file\(s\) and 6 rule test file\(s\) are valid\n$/,
    );
  });

  it("checks the rule test files found on the same paths", async () => {
    const r = await validate(`${FIXTURES}/good`);
    expect(r.code).toBe(0);
    expect(r.out).toContain("1 rule(s) in 1 file(s) and 1 rule test file(s) are valid");
  });

  it("reports every problem of rules and rule tests at once, as file:line:col", async () => {
    const r = await validate(`${FIXTURES}/broken`);
    expect(r.code).toBe(1);
    golden("broken.txt", r.err);
  });

  it("says which rule a misspelt expected rule id means", async () => {
    const r = await validate(`${FIXTURES}/broken`);
    expect(r.err).toContain(
      `${FIXTURES}/broken/spam.test.yaml:7:19: no rule "spam-rate-limt" is loaded by this test; did you mean "spam-rate-limit"?`,
    );
  });

  it("checks a test file named on its own as tests, never as rules", async () => {
    const r = await validate(`${FIXTURES}/broken/spam.test.yaml`);
    expect(r.code).toBe(1);
    const files = new Set(
      r.err
        .split("\n")
        .filter((l) => l.includes(":"))
        .map((l) => l.split(":")[0]),
    );
    expect([...files]).toEqual([`${FIXTURES}/broken/spam.test.yaml`]);
    expect(r.err).not.toContain('unknown key "tests"');
  });

  it("reports a named test file that does not exist", async () => {
    const r = await validate(`${FIXTURES}/good`, `${FIXTURES}/nope.test.yaml`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${FIXTURES}/nope.test.yaml:1:1: not found\n1 problem(s) found\n`);
  });

  it("does not call a rule unknown when its rule file cannot be read; the file's own problem says why", async () => {
    const r = await validate(`${FIXTURES}/unreadable`);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${FIXTURES}/unreadable/spam.yaml:5:1: YAML syntax error`);
    expect(r.err).not.toContain("spam.test.yaml");
  });
});
