// Rule test files: how events are expanded, and every mistake reported at file:line:col.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRuleTestFile } from "../../../src/ruletest/parse.js";
import { runRuleTests } from "../../../src/ruletest/run.js";
import { formatProblem } from "../../../src/shared/problems.js";
import { OPTS, REPO } from "./support.js";

const FILE = "rules/example.test.yaml";
const parse = (text: string) => parseRuleTestFile(FILE, join(REPO, FILE), text, REPO);
const problems = (text: string) => parse(text).problems.map(formatProblem);

describe("rule test events", () => {
  it("places relative times from the start, continues bursts, and fills kind, status and ids", () => {
    const { cases, problems } = parse(`tests:
  - name: Six spam hits
    events:
      - { at: "+0s", code: 131048, phone_number_id: 111, id: e1 }
      - { at: "+30s", code: "131048", phone_number_id: "111" }
      - { repeat: 2, every: 10s, code: 131048, phone_number_id: "111" }
      - { kind: message_template_status_update, event: PAUSED, template.name: hello }
    expect: { alerts: [] }
`);
    expect(problems).toEqual([]);
    const events = cases[0]?.events ?? [];
    const start = Date.UTC(2026, 0, 1) / 1000;
    expect(events.map((e) => e.timestamp - start)).toEqual([0, 30, 40, 50, 50]);
    expect(events.map((e) => e.id)).toEqual([
      "e1",
      "six-spam-hits-2",
      "six-spam-hits-3",
      "six-spam-hits-4",
      "six-spam-hits-5",
    ]);
    expect(events[0]).toMatchObject({
      kind: "status_error",
      status: "failed",
      code: 131048,
      phone_number_id: "111",
    });
    expect(events[1]?.code).toBe(131048);
    expect(events[4]).toMatchObject({ kind: "message_template_status_update", template: { name: "hello" } });
    expect(events[4]?.status).toBeUndefined();
  });

  it("honours start: and absolute times", () => {
    const { cases } = parse(`start: 2025-06-01T12:00:00Z
tests:
  - name: t
    events: [{ at: "+1m", code: 1 }, { at: "2025-06-01T12:05:00Z", code: 1 }]
    expect: { alerts: [] }
`);
    expect(cases[0]?.events.map((e) => new Date(e.timestamp * 1000).toISOString())).toEqual([
      "2025-06-01T12:01:00.000Z",
      "2025-06-01T12:05:00.000Z",
    ]);
  });
});

describe("quiet steps", () => {
  it("move the next event on by the quiet spell and are kept as pauses after the events before them", () => {
    const { cases, problems } = parse(`tests:
  - name: t
    events:
      - { repeat: 2, every: 10s, kind: status, phone_number_id: "1" }
      - { quiet: 20m }
      - { kind: status, phone_number_id: "1" }
      - { quiet: 1m30s }
    expect: { alerts: [] }
`);
    expect(problems).toEqual([]);
    const start = Date.UTC(2026, 0, 1) / 1000;
    expect(cases[0]?.events.map((e) => e.timestamp - start)).toEqual([0, 10, 1210]);
    expect(cases[0]?.pauses).toEqual([
      { afterEvents: 2, quietMs: 1_200_000 },
      { afterEvents: 3, quietMs: 90_000 },
    ]);
  });

  it("stand alone, follow an event and last longer than 0, each mistake at its place", () => {
    expect(
      problems(`tests:
  - name: t
    events:
      - { quiet: 5m }
      - { kind: status }
      - { quiet: 5m, kind: status }
      - { quiet: soon }
      - { quiet: 0s }
    expect: { alerts: [] }
`),
    ).toEqual([
      'rules/example.test.yaml:4:11: "quiet" needs an event before it: the quiet spell follows the last event',
      'rules/example.test.yaml:6:22: "quiet" is a step of its own: write { quiet: 20m } between events, without facts beside it',
      'rules/example.test.yaml:7:18: "quiet" is not a duration above 0 (got "soon"); write a whole number followed by s, m, h or d, for example 30s, 10m, 2h or 1d',
      'rules/example.test.yaml:8:18: "quiet" is not a duration above 0 (got "0s"); write a whole number followed by s, m, h or d, for example 30s, 10m, 2h or 1d',
    ]);
  });
});

describe("events_file", () => {
  it("runs a shared sample file in the dry run's order, relative to the test file", async () => {
    const report = await runRuleTests(["test/unit/ruletest/fixtures/from-file.test.yaml"], OPTS);
    expect(report.problems).toEqual([]);
    expect(report.results.map((r) => [r.passed, r.events])).toEqual([[true, 11]]);
  });
});

describe("invalid rule test files", () => {
  it("report YAML syntax errors with a position", () => {
    expect(problems("tests:\n  - name: [unclosed\n")[0]).toMatch(
      /^rules\/example\.test\.yaml:\d+:\d+: YAML syntax error/,
    );
  });

  it("report unknown keys where they are written, with a suggestion", () => {
    expect(
      problems("tests:\n  - name: t\n    events: [{ code: 1 }]\n    expcet: { alerts: [] }\n"),
    ).toContain('rules/example.test.yaml:4:5: unknown key "expcet" in "tests.0"; did you mean "expect"?');
  });

  it("report unknown facts in events, with a suggestion", () => {
    expect(
      problems(
        "tests:\n  - name: t\n    events:\n      - { code: 1, phone_numer_id: x }\n    expect: { alerts: [] }\n",
      ),
    ).toEqual([
      'rules/example.test.yaml:4:20: unknown fact "phone_numer_id"; did you mean "phone_number_id"? (in this event)',
    ]);
  });

  it("report bad times, missing events, missing rule files and out-of-range at_event", () => {
    const text = `tests:
  - name: bad time
    events: [{ at: "30 seconds", code: 1 }]
    expect: { alerts: [] }
  - name: no events
    expect: { alerts: [] }
  - name: missing rules
    rules: [nope.yaml]
    events: [{ code: 1 }]
    expect: { alerts: [{ rule: r, at_event: 2 }] }
`;
    expect(problems(text)).toEqual([
      expect.stringMatching(
        /^rules\/example\.test\.yaml:3:20: "at" is not a time \(got "30 seconds"\); write "\+30s"/,
      ),
      'rules/example.test.yaml:5:5: test "no events" needs "events:" (a list) or "events_file:" (a path)',
      'rules/example.test.yaml:8:13: rule file "nope.yaml" not found (looked for rules/nope.yaml)',
      'rules/example.test.yaml:10:45: "at_event" is 2 but the test has only 1 event(s)',
    ]);
  });

  it("make the run fail, as do paths that hold no tests", async () => {
    const report = await runRuleTests(["test/unit/ruletest", "rules/delivery.yaml", "no/such/dir"], OPTS);
    expect(report.ok).toBe(false);
    expect(report.problems.map(formatProblem)).toEqual([
      "no/such/dir:1:1: not found",
      "rules/delivery.yaml:1:1: not a rule test file: rule tests are named *.test.yaml (to dry-run events, use --events FILE)",
      "test/unit/ruletest:1:1: no rule test files (*.test.yaml) in this directory",
    ]);
  });
});
