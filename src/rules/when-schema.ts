// The JSON Schema of a rule's `when`, for editors; validate-when.ts is the loader's own, better-worded check.
//
// The schema accepts exactly what validate-when.ts accepts, with one looser spot: a leaf with a
// `path` is not checked against the fact list (the schema cannot join `fact` and `path`).
// test/unit/schema/when-schema.test.ts holds the two to that.
import { type TSchema, Type as T } from "@sinclair/typebox";
import { EXACT_FACTS, FACT_PREFIXES } from "./facts.js";

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

/** LIST_OPERATORS compare with a list of values. */
export const LIST_OPERATORS: readonly Operator[] = Object.freeze(["in", "notIn"]);

/** NUMERIC_OPERATORS compare with a number. */
export const NUMERIC_OPERATORS: readonly Operator[] = Object.freeze([
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive",
]);

/** PATH_PATTERN is the simple JSON path a leaf's `path` may hold: `$.name`, `$.errors[0].code`. */
export const PATH_PATTERN = /^\$(\.[A-Za-z0-9_-]+|\[\d+\])*$/;

const opts = { additionalProperties: false } as const;

type Definition = "condition" | "leaf" | "leafValue" | "factRef" | "shorthand" | "shorthandValue" | "fact";

/** ref points at one of WHEN_DEFINITIONS; the rule file schema carries them under `definitions`. */
const ref = (name: Definition) => T.Unsafe<unknown>({ $ref: `#/definitions/${name}` });

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Anything below a wildcard fact (`value.errors[0].code`): the prefix and at least one character. */
const WILDCARD = `^(${FACT_PREFIXES.map(escapeRegExp).join("|")})[\\s\\S]`;

/** A fact an event carries: one of the exact names, or anything below a wildcard such as `value.`. */
const Fact = T.Union(
  [T.Unsafe<string>({ type: "string", enum: EXACT_FACTS }), T.String({ pattern: WILDCARD })],
  { description: "a fact: code, kind, status, phone_number_id, template.name, value.<key>, …" },
);

// Plain type lists rather than anyOf of one-type schemas: the published file stays readable.
const Scalar = T.Unsafe<string | number | boolean>({ type: ["string", "number", "boolean"] });
const AnyList = T.Unsafe<unknown[]>({ type: "array" });

const ShorthandValue = T.Union([Scalar, T.Array(Scalar, { minItems: 1 })], {
  description: "a value (equal) or a non-empty list of values (in)",
});

const CodeValue = T.Union([T.Integer(), T.Array(T.Integer(), { minItems: 1 })], {
  description: "an error code such as 131048, or a list of them (in)",
});

/** The shorthand map: known facts as keys, each a value (equal) or a list (in); keys are ANDed. */
const Shorthand = T.Object(
  Object.fromEntries(
    EXACT_FACTS.map((f): [string, TSchema] => [
      f,
      T.Optional(f === "code" ? CodeValue : ref("shorthandValue")),
    ]),
  ),
  {
    ...opts,
    minProperties: 1,
    patternProperties: { [WILDCARD]: ref("shorthandValue") },
    description: "shorthand: fact: value means equal, fact: [values] means in; several keys are ANDed",
  },
);

const FactRef = T.Object({ fact: ref("fact") }, { ...opts, description: "another fact of the same event" });

const Value = T.Union(
  [T.Unsafe<unknown>({ type: ["string", "number", "boolean", "null", "array"] }), ref("factRef")],
  { description: "a number, string, boolean or list, or { fact: NAME } to compare with another fact" },
);

/** ifThen is draft-07's conditional, which Ajv and editors apply. */
const ifThen = (condition: object, consequence: object) => ({
  if: condition,
  // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword, never awaited.
  then: consequence,
});

/** valueMust says: when the leaf's keys match `when`, its `value` is one of `allowed` or a fact reference. */
const valueMust = (when: Record<string, unknown>, required: string[], allowed: TSchema[]) =>
  ifThen({ properties: when, required }, { properties: { value: T.Union([...allowed, ref("factRef")]) } });

const Leaf = T.Object(
  {
    fact: T.String({ description: "the fact to test, e.g. code or template.name", examples: EXACT_FACTS }),
    operator: T.Unsafe<Operator>({ type: "string", enum: OPERATORS }),
    value: ref("leafValue"),
    path: T.Optional(
      T.String({
        pattern: PATH_PATTERN.source,
        description: 'a JSON path into the fact, e.g. "$.name"; a dotted fact (template.name) says the same',
      }),
    ),
  },
  {
    ...opts,
    description: "a condition: { fact, operator, value }",
    allOf: [
      // Without a path the fact itself must be known; with one, only the loader can join the two.
      ifThen({ not: { required: ["path"] } }, { properties: { fact: ref("fact") } }),
      valueMust({ operator: { enum: LIST_OPERATORS } }, ["operator"], [AnyList]),
      valueMust({ operator: { enum: NUMERIC_OPERATORS } }, ["operator"], [T.Number()]),
      valueMust(
        { fact: { const: "code" }, operator: { not: { const: "contains" } } },
        ["fact", "operator"],
        [T.Integer(), T.Array(T.Integer())],
      ),
    ],
  },
);

const List = (key: "all" | "any", description: string) =>
  T.Object({ [key]: T.Array(ref("condition"), { minItems: 1, description }) }, opts);

const Condition = T.Union(
  [
    List("all", "every condition must hold"),
    List("any", "at least one condition must hold"),
    T.Object({ not: ref("condition") }, { ...opts, description: "the condition must not hold" }),
    ref("leaf"),
  ],
  { description: "all / any / not, or a condition { fact, operator, value, path? }" },
);

/** WHEN_DEFINITIONS are the named parts of WhenSchema, for the rule file schema's `definitions`. */
export const WHEN_DEFINITIONS: Record<Definition, TSchema> = {
  condition: Condition,
  leaf: Leaf,
  leafValue: Value,
  factRef: FactRef,
  shorthand: Shorthand,
  shorthandValue: ShorthandValue,
  fact: Fact,
};

/** conditionSchema is a condition written like `when` (a tree or the shorthand map), described for editors. */
export function conditionSchema(description: string) {
  return T.Union([ref("condition"), ref("shorthand")], { description });
}

/** WhenSchema is a rule's `when`: a json-rules-engine condition tree, or the shorthand map. */
export const WhenSchema = conditionSchema(
  "which events count: a shorthand map such as { code: 131048 }, or a json-rules-engine condition tree (all / any / not)",
);
