// Matchers on alert facts (`{ rule: template-paused }`, `{ code: [132015, 132016] }`): schema and checks.
import { type TSchema, Type as T } from "@sinclair/typebox";
import type { Problem } from "../shared/problems.js";
import { type PathSegment, problemAt, type YamlSource } from "../shared/yaml-source.js";
import { ALERT_FACTS, EXACT_FACTS, FACT_PREFIXES, isAlertFact, unknownAlertFactMessage } from "./facts.js";
import type { Matchers } from "./types.js";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const WILDCARD = `^(${FACT_PREFIXES.map(escapeRegExp).join("|")})[\\s\\S]`;

// Plain type lists rather than anyOf of one-type schemas: the published files stay readable.
const Scalar = T.Unsafe<string | number | boolean>({ type: ["string", "number", "boolean"] });
const MatcherValue = T.Union([Scalar, T.Array(Scalar, { minItems: 1 })], {
  description: "a value (equal, compared as text) or a non-empty list of values (any of them)",
});

/** MATCHER_NAMES are the names editors offer in a matcher map: rule, severity and every exact event fact. */
export const MATCHER_NAMES: readonly string[] = Object.freeze([...ALERT_FACTS, ...EXACT_FACTS]);

/** MatchersSchema is a matcher map for editors: known names as keys, each a value or a list of values. */
export function MatchersSchema(description: string): TSchema {
  return T.Object(
    Object.fromEntries(MATCHER_NAMES.map((f): [string, TSchema] => [f, T.Optional(MatcherValue)])),
    {
      additionalProperties: false,
      minProperties: 1,
      patternProperties: { [WILDCARD]: MatcherValue },
      description,
    },
  );
}

/** FactNamesSchema is a list of matcher names (inhibition `equal`, grouping `by`). */
export function FactNamesSchema(description: string, defaults?: string[]) {
  return T.Array(T.String({ examples: MATCHER_NAMES }), {
    description,
    ...(defaults ? { default: defaults } : {}),
  });
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function label(path: readonly PathSegment[]): string {
  return `"${path.join(".")}"`;
}

/**
 * checkMatchers validates a matcher map as written and returns it with every value as a list of
 * strings, plus every problem (unknown names with did-you-mean, values that are not scalars). Rule ids
 * are checked where every rule file is known (the loader).
 */
export function checkMatchers(
  source: YamlSource,
  value: unknown,
  path: readonly PathSegment[],
  example: string,
): { matchers?: Matchers; problems: Problem[] } {
  const problems: Problem[] = [];
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    Object.keys(value).length === 0
  ) {
    problems.push(
      problemAt(source, path, `${label(path)} must be a map of facts to values, for example ${example}`),
    );
    return { problems };
  }
  const out: Record<string, readonly string[]> = {};
  for (const [name, v] of Object.entries(value)) {
    const at = [...path, name];
    if (!isAlertFact(name)) problems.push(problemAt(source, at, unknownAlertFactMessage(name), true));
    if (isScalar(v)) out[name] = [String(v)];
    else if (Array.isArray(v) && v.length > 0 && v.every(isScalar)) out[name] = v.map(String);
    else
      problems.push(
        problemAt(
          source,
          at,
          `${label(at)} must be a value or a non-empty list of values (any of them matches)`,
        ),
      );
  }
  return problems.length ? { problems } : { matchers: Object.freeze(out), problems };
}

/** checkFactNames validates a list of matcher names (`equal`, `by`) and returns it when it is fine. */
export function checkFactNames(
  source: YamlSource,
  value: unknown,
  path: readonly PathSegment[],
): { names?: readonly string[]; problems: Problem[] } {
  if (!Array.isArray(value) || !value.every((n) => typeof n === "string")) {
    return {
      problems: [
        problemAt(source, path, `${label(path)} must be a list of fact names, for example [waba_id]`),
      ],
    };
  }
  const problems = value.flatMap((name: string, i) =>
    isAlertFact(name) ? [] : [problemAt(source, [...path, i], unknownAlertFactMessage(name))],
  );
  return problems.length ? { problems } : { names: Object.freeze([...value]), problems };
}
