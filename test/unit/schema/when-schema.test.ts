// schema/rules.schema.json describes `when` and durations as the loader reads them, and the loader keeps its own words.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { SCHEMA_DIR } from "../../../scripts/gen-schema.js";
import { OPERATORS } from "../../../src/rules/schema.js";
import { validateRuleFile } from "../../../src/rules/validate.js";
import { formatProblem } from "../../../src/shared/problems.js";
import { OPTS } from "../rules/support.js";

const REPO = join(SCHEMA_DIR, "..");
// No useDefaults: an editor applies none, so the files must be valid exactly as written.
const published = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(join(SCHEMA_DIR, "rules.schema.json"), "utf8")),
);

const ruleFile = (rule: Record<string, unknown>) => ({
  rules: [{ id: "r", description: "test rule", ...rule }],
});
const schemaAccepts = (rule: Record<string, unknown>) => published(ruleFile(rule)) === true;
const loaderProblems = (rule: Record<string, unknown>) =>
  validateRuleFile("inline.yaml", stringify(ruleFile(rule)), OPTS).problems.map(formatProblem);

describe("schema/rules.schema.json", () => {
  const shipped = readdirSync(join(REPO, "rules")).filter(
    (f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f),
  );

  it.each(shipped)("accepts the shipped rules/%s, every when and duration in it", (file) => {
    const doc = parse(readFileSync(join(REPO, "rules", file), "utf8"));
    expect(published(doc), JSON.stringify(published.errors)).toBe(true);
  });

  it.each([
    ["a duration in words", { when: { code: 1 }, threshold: { more_than: 1, within: "10 minutes" } }],
    ["a zero window", { when: { code: 1 }, threshold: { more_than: 1, within: "0s" } }],
    ["a number as cooldown", { when: { code: 1 }, cooldown: 30 }],
    ["a zero resolve_after", { when: { code: 1 }, resolve_after: "0m" }],
    ["a misspelt top-level key", { when: { alll: [{ fact: "code", operator: "equal", value: 1 }] } }],
    ["a leaf without an operator", { when: { all: [{ fact: "code", value: 131048 }] } }],
    ["an unknown operator", { when: { all: [{ fact: "code", operator: "equals", value: 1 }] } }],
    [
      "an unknown fact in a leaf",
      { when: { any: [{ fact: "template.nmae", operator: "equal", value: "x" }] } },
    ],
    ["an unknown fact in the shorthand", { when: { phone: "111" } }],
    ["a code written as a string", { when: { code: "131048" } }],
    ["in without a list", { when: { all: [{ fact: "code", operator: "in", value: 131048 }] } }],
    ["an empty all", { when: { all: [] } }],
    ["all mixed with a fact", { when: { all: [{ fact: "code", operator: "equal", value: 1 }], code: 1 } }],
    ["an empty when", { when: {} }],
  ])("rejects %s, as the loader does", (_, rule) => {
    expect(schemaAccepts(rule)).toBe(false);
    expect(loaderProblems(rule)).not.toEqual([]);
  });

  it.each([
    ["a dotted fact", { when: { "template.name": "otp" } }],
    ["a nested fact below value.*", { when: { "value.errors[0].code": 131048 } }],
    [
      "a nested leaf fact",
      { when: { all: [{ fact: "conversation.origin.type", operator: "equal", value: "x" }] } },
    ],
    [
      "a fact with a path",
      { when: { all: [{ fact: "template", path: "$.name", operator: "equal", value: "x" }] } },
    ],
    [
      "a fact compared with a fact",
      { when: { all: [{ fact: "code", operator: "equal", value: { fact: "status" } }] } },
    ],
    ["a top-level leaf", { when: { fact: "kind", operator: "equal", value: "account_update" } }],
    ["not", { when: { not: { fact: "code", operator: "in", value: [1, 2] } } }],
    ["padded durations", { when: { code: 1 }, cooldown: "0s", threshold: { more_than: 0, within: "500ms" } }],
  ])("accepts %s, as the loader does", (_, rule) => {
    expect(schemaAccepts(rule), JSON.stringify(published.errors)).toBe(true);
    expect(loaderProblems(rule)).toEqual([]);
  });

  it("is looser than the loader in one spot: a fact and a path that join into an unknown fact", () => {
    const rule = { when: { all: [{ fact: "templat", path: "$.name", operator: "equal", value: "x" }] } };
    expect(schemaAccepts(rule)).toBe(true);
    expect(loaderProblems(rule)).toEqual([
      'inline.yaml:6:17: unknown fact "templat.name"; did you mean "template.name"?',
    ]);
  });
});

// Mostly well-formed leaves with some wrong facts, operators, values and keys, so both verdicts come up often.
const FACTS = ["code", "kind", "status", "template.name", "value.errors[0].code", "conversation.id"];
const BAD_FACTS = ["templat", "value.", "all", 7];
const VALUES = [
  131048,
  1.5,
  -1,
  "131048",
  "failed",
  "",
  true,
  null,
  [],
  [1, 2],
  ["a", 1],
  [{ a: 1 }],
  { fact: "code" },
  { fact: "nope" },
  { x: 1 },
];
const value = fc.constantFrom(...VALUES);
const leaf = fc
  .record({
    fact: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FACTS) }, fc.constantFrom(...BAD_FACTS)),
    operator: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...OPERATORS) }, fc.constantFrom("equals", 1)),
    value,
    change: fc.constantFrom("none", "none", "none", "drop fact", "drop operator", "drop value", "add key"),
  })
  .map(({ change, ...l }): Record<string, unknown> => {
    if (change === "add key") return { ...l, extra: 1 };
    const { [change.slice(5)]: _, ...rest } = l as Record<string, unknown>;
    return change === "none" ? l : rest;
  });
const when = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("node"), { maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie("node"), { maxLength: 3 }).map((any) => ({ any })),
    tie("node").map((not) => ({ not })),
    fc.dictionary(fc.constantFrom(...FACTS, ...BAD_FACTS.map(String), "alll"), value, { maxKeys: 3 }),
    fc.constantFrom(null, 5, "code", []),
  ),
})).node;

describe("schema and loader agree on `when`", () => {
  it("accept and reject the same trees and shorthand maps (no `path` involved)", () => {
    fc.assert(
      fc.property(when, (w) => {
        const problems = loaderProblems({ when: w });
        expect(schemaAccepts({ when: w }), problems.join("\n")).toBe(problems.length === 0);
      }),
      { numRuns: 1500 },
    );
  });
});

describe("the loader keeps its own words for `when` and durations", () => {
  const text = (rule: string) => `rules:\n  - id: r\n    description: test rule\n${rule}`;
  const problems = (rule: string) => validateRuleFile("r.yaml", text(rule), OPTS).problems.map(formatProblem);

  it("reports a misspelt top-level key once, with a did-you-mean", () => {
    expect(problems("    when: { alll: [{ fact: code, operator: equal, value: 1 }] }\n")).toEqual([
      'r.yaml:4:13: unknown key "alll" in "rules.0.when"; did you mean "all"?',
    ]);
    expect(problems("    when: { nott: { code: 1 }, kind: account_update }\n")).toEqual([
      'r.yaml:4:13: unknown key "nott" in "rules.0.when"; did you mean "not"?',
    ]);
  });

  it("reports a leaf without an operator once, at the leaf", () => {
    expect(problems("    when: { all: [{ fact: code, value: 131048 }] }\n")).toEqual([
      'r.yaml:4:19: condition "rules.0.when.all.0" is missing the required key "operator"',
    ]);
  });

  it("reports a duration in words once, with how to write it", () => {
    expect(problems("    when: { code: 1 }\n    cooldown: 1 hour\n    resolve_after: 0s\n")).toEqual([
      'r.yaml:5:15: "rules.0.cooldown" is not a duration (got "1 hour"); write a whole number followed by s, m, h or d, for example 30s, 10m, 2h or 1d',
      'r.yaml:6:20: "rules.0.resolve_after" must be longer than 0; write a whole number followed by s, m, h or d, for example 30s, 10m, 2h or 1d',
    ]);
  });
});
