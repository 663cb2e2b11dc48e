// Checks a rule's `when` (condition tree or shorthand map) and normalizes it into a ConditionNode.
import type { Problem } from "../shared/problems.js";
import { closest, didYouMean } from "../shared/suggest.js";
import { type PathSegment, problemAt, type YamlSource } from "../shared/yaml-source.js";
import { isKnownFact, unknownFactMessage } from "./facts.js";
import { LIST_OPERATORS, NUMERIC_OPERATORS, OPERATORS, type Operator, PATH_PATTERN } from "./when-schema.js";
import type { ConditionNode, LeafCondition } from "./types.js";

const BOOLEAN_KEYS = ["all", "any", "not"] as const;
const LEAF_KEYS = ["fact", "operator", "value", "path"];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function isScalarList(v: unknown): boolean {
  return isScalar(v) || (Array.isArray(v) && v.every(isScalar));
}

function label(path: readonly PathSegment[]): string {
  return `"${path.join(".")}"`;
}

/** Walker carries the file and the problems found so far through one `when`. */
class Walker {
  readonly problems: Problem[] = [];
  constructor(readonly source: YamlSource) {}

  report(path: readonly PathSegment[], message: string, atKey = false): undefined {
    this.problems.push(problemAt(this.source, path, message, atKey));
    return undefined;
  }

  fail(path: readonly PathSegment[], message: string): false {
    this.report(path, message);
    return false;
  }

  top(node: unknown, path: PathSegment[]): ConditionNode | undefined {
    if (!isObj(node) || Object.keys(node).length === 0) {
      return this.report(
        path,
        `${label(path)} must be a map with at least one condition: facts to match such as { code: 131048 }, or a condition tree under all, any or not`,
      );
    }
    if (BOOLEAN_KEYS.some((k) => k in node)) return this.node(node, path);
    if ("fact" in node) {
      const leaf = this.leaf(node, path);
      return leaf && { all: [leaf] };
    }
    return this.shorthand(node, path);
  }

  shorthand(node: Obj, path: PathSegment[]): ConditionNode | undefined {
    const leaves: LeafCondition[] = [];
    for (const [fact, value] of Object.entries(node)) {
      const at = [...path, fact];
      const factOk = isKnownFact(fact);
      // `alll: [{ fact: … }]` is a misspelt tree, not a shorthand fact: say which key was meant.
      const meant = factOk || isScalarList(value) ? undefined : closest(fact, BOOLEAN_KEYS);
      if (meant !== undefined) {
        this.report(at, `unknown key "${fact}" in ${label(path)}; did you mean "${meant}"?`, true);
        continue;
      }
      if (!factOk) this.report(at, unknownFactMessage(fact), true);
      let leaf: LeafCondition | undefined;
      if (isScalar(value)) leaf = { fact, operator: "equal", value };
      else if (Array.isArray(value) && value.length > 0 && value.every(isScalar))
        leaf = { fact, operator: "in", value };
      else {
        this.report(
          at,
          `${label(at)} must be a value (equal) or a non-empty list of values (in); for other operators write a condition tree: { all: [{ fact: ${fact}, operator: …, value: … }] }`,
        );
        continue;
      }
      if (factOk && this.checkValue(leaf, at)) leaves.push(leaf);
    }
    return leaves.length === Object.keys(node).length ? { all: leaves } : undefined;
  }

  node(node: unknown, path: PathSegment[]): ConditionNode | undefined {
    if (!isObj(node)) {
      return this.report(
        path,
        `${label(path)} must be a condition: { fact, operator, value } or all/any/not`,
      );
    }
    const bool = BOOLEAN_KEYS.filter((k) => k in node);
    if (bool.length === 0) return this.leaf(node, path);
    const [key] = bool;
    const extra = Object.keys(node).filter((k) => k !== key);
    if (bool.length > 1 || extra.length > 0) {
      const other = bool.length > 1 ? (bool[1] as string) : (extra[0] as string);
      return this.report(
        [...path, other],
        `${label(path)} mixes "${key}" with "${other}"; a condition is either one of all/any/not or { fact, operator, value }, so nest them`,
        true,
      );
    }
    const at = [...path, key as string];
    const inner = node[key as string];
    if (key === "not") {
      const child = this.node(inner, at);
      return child && { not: child };
    }
    if (!Array.isArray(inner) || inner.length === 0) {
      return this.report(at, `${label(at)} must be a non-empty list of conditions`);
    }
    const children = inner.map((c, i) => this.node(c, [...at, i]));
    if (children.some((c) => c === undefined)) return undefined;
    const list = children as ConditionNode[];
    return key === "all" ? { all: list } : { any: list };
  }

  leaf(node: Obj, path: PathSegment[]): LeafCondition | undefined {
    let ok = true;
    for (const key of Object.keys(node)) {
      if (!LEAF_KEYS.includes(key)) {
        ok = false;
        const hint =
          didYouMean(key, [...LEAF_KEYS, ...BOOLEAN_KEYS]) || `; allowed keys: ${LEAF_KEYS.join(", ")}`;
        this.report([...path, key], `unknown key "${key}" in condition ${label(path)}${hint}`, true);
      }
    }
    for (const key of ["fact", "operator", "value"]) {
      if (!(key in node)) {
        ok = false;
        this.report(path, `condition ${label(path)} is missing the required key "${key}"`);
      }
    }
    const fact = this.factOf(node, path);
    const operator = this.operatorOf(node, path);
    if (!ok || fact === undefined || operator === undefined) return undefined;
    const leaf: LeafCondition = { fact, operator, value: node.value };
    return this.checkValue(leaf, [...path, "value"]) ? leaf : undefined;
  }

  factOf(node: Obj, path: PathSegment[]): string | undefined {
    const { fact, path: jsonPath } = node;
    if (fact === undefined) return undefined;
    if (typeof fact !== "string")
      return this.report([...path, "fact"], `${label([...path, "fact"])} must be string`);
    let name = fact;
    if (jsonPath !== undefined) {
      if (typeof jsonPath !== "string" || !PATH_PATTERN.test(jsonPath)) {
        return this.report(
          [...path, "path"],
          `${label([...path, "path"])} must be a simple JSON path such as "$.name" or "$.errors[0].code"; or drop it and write the dotted fact, e.g. fact: template.name`,
        );
      }
      name = fact + jsonPath.slice(1);
    }
    return isKnownFact(name) ? name : this.report([...path, "fact"], unknownFactMessage(name));
  }

  operatorOf(node: Obj, path: PathSegment[]): Operator | undefined {
    const op = node.operator;
    if (op === undefined) return undefined;
    if (typeof op === "string" && (OPERATORS as readonly string[]).includes(op)) return op as Operator;
    const hint = typeof op === "string" ? didYouMean(op, OPERATORS) : "";
    return this.report(
      [...path, "operator"],
      `unknown operator ${JSON.stringify(op)}${hint}; operators: ${OPERATORS.join(", ")}`,
    );
  }

  checkValue(leaf: LeafCondition, at: PathSegment[]): boolean {
    const { value, operator, fact } = leaf;
    if (isObj(value)) {
      const ref = value.fact;
      if (Object.keys(value).length === 1 && typeof ref === "string") {
        return isKnownFact(ref) || this.fail([...at, "fact"], unknownFactMessage(ref));
      }
      return this.fail(at, `${label(at)} must be a number, string, boolean or list, or { fact: NAME }`);
    }
    if (LIST_OPERATORS.includes(operator) && !Array.isArray(value)) {
      return this.fail(at, `${label(at)} must be a list for "${operator}", for example [131048, 131049]`);
    }
    if (NUMERIC_OPERATORS.includes(operator) && typeof value !== "number") {
      return this.fail(at, `${label(at)} must be a number for "${operator}"`);
    }
    const values = Array.isArray(value) ? value : [value];
    if (fact === "code" && operator !== "contains" && !values.every((v) => Number.isInteger(v))) {
      return this.fail(at, `${label(at)}: error codes are whole numbers; write 131048, not "131048"`);
    }
    return true;
  }
}

/** validateWhen checks one rule's `when` at `path` and returns its normalized tree, or the problems. */
export function validateWhen(
  source: YamlSource,
  when: unknown,
  path: PathSegment[],
): { when?: ConditionNode; problems: Problem[] } {
  const walker = new Walker(source);
  const result = walker.top(when, path);
  return walker.problems.length || !result ? { problems: walker.problems } : { when: result, problems: [] };
}
