// The one schema of a rule file; the RuleFile/RuleDoc types and the published JSON Schema derive from it.
import { type Static, Type as T } from "@sinclair/typebox";
import type { Severity } from "../evaluate/alert.js";

/** SEVERITIES are the values of a rule's `severity`, least urgent first. */
export const SEVERITIES: readonly Severity[] = Object.freeze(["info", "warning", "critical"]);

/** RULE_ID_PATTERN is what a rule id may look like: lowercase letters, digits and dashes. */
export const RULE_ID_PATTERN = /^[a-z0-9-]+$/;

/** OPERATORS are json-rules-engine's built-in operators, the only ones a rule may use. */
export const OPERATORS = Object.freeze([
  "equal",
  "notEqual",
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive",
  "in",
  "notIn",
  "contains",
  "doesNotContain",
] as const);

/** Operator is one of OPERATORS. */
export type Operator = (typeof OPERATORS)[number];

const opts = { additionalProperties: false } as const;

// Durations and `when` are typed loosely here on purpose: validate.ts and validate-when.ts check
// them by hand, because Ajv's wording ("must match pattern", anyOf noise) does not say how to fix them.
const Duration = T.Unknown({ description: "30s, 10m, 2h, 1d" });

const Threshold = T.Object(
  {
    more_than: T.Integer({
      minimum: 0,
      description: "fires on the (N+1)th matching event inside the window",
    }),
    within: Duration,
    distinct: T.Optional(T.String({ description: "count distinct values of this fact instead of events" })),
  },
  opts,
);

/** RuleSchema is one entry of a rule file's `rules:` list (SPEC.md "Rules"). */
export const RuleSchema = T.Object(
  {
    id: T.String({ pattern: RULE_ID_PATTERN.source, description: "unique across all files" }),
    description: T.String({ minLength: 1 }),
    // An enum rather than a union of literals: Ajv then says "must be one of …" once, not three times.
    severity: T.Optional(T.Unsafe<Severity>({ type: "string", enum: SEVERITIES })),
    when: T.Unknown({ description: "a json-rules-engine condition tree, or a map of fact: value" }),
    group_by: T.Array(T.String(), { default: [] }),
    threshold: T.Optional(Threshold),
    cooldown: T.Optional(Duration),
    resolve_after: T.Optional(Duration),
    notify: T.Optional(T.Array(T.String())),
    actions: T.Array(T.String(), { default: [] }),
    enabled: T.Boolean({ default: true }),
  },
  opts,
);

/** RuleFileSchema is a whole rule file: `{ rules: [...] }`. */
export const RuleFileSchema = T.Object(
  { rules: T.Array(RuleSchema) },
  { ...opts, $id: "https://waba-alerts.dev/schema/rules.json", title: "waba-alerts rule file" },
);

/** RuleDoc is one rule as written, after the schema check and its defaults. */
export type RuleDoc = Static<typeof RuleSchema>;
/** RuleFile is a rule file as written, after the schema check. */
export type RuleFile = Static<typeof RuleFileSchema>;

/** LeafCondition is one normalized comparison; `fact` is dotted (`template.name`), never with a path. */
export interface LeafCondition {
  readonly fact: string;
  readonly operator: Operator;
  /** A literal, or `{ fact }` to compare with another fact. */
  readonly value: unknown;
}

/** ConditionNode is a normalized `when`: shorthand maps become `all` of leaves, paths fold into facts. */
export type ConditionNode =
  | LeafCondition
  | { readonly all: readonly ConditionNode[] }
  | { readonly any: readonly ConditionNode[] }
  | { readonly not: ConditionNode };
