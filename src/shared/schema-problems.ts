// Turns Ajv validation errors into positioned, human-worded problems.
import type { ErrorObject } from "ajv";
import { closest, didYouMean } from "./suggest.js";
import { type PathSegment, problemAt, type YamlSource } from "./yaml-source.js";
import type { Problem } from "./problems.js";

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function label(path: readonly PathSegment[]): string {
  return path.length === 0 ? "the document" : `"${path.join(".")}"`;
}

function wordError(
  e: ErrorObject,
  path: PathSegment[],
): { message: string; path: PathSegment[]; atKey: boolean } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const known = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const hint = didYouMean(key, known) || (known.length ? `; allowed keys: ${known.join(", ")}` : "");
      return { message: `unknown key "${key}" in ${label(path)}${hint}`, path: [...path, key], atKey: true };
    }
    case "required":
      return {
        message: `${label(path)} is missing the required key "${String(p.missingProperty)}"`,
        path,
        atKey: false,
      };
    case "type":
      return { message: `${label(path)} must be ${String(p.type)}`, path, atKey: false };
    case "enum":
      return {
        message: `${label(path)} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
        path,
        atKey: false,
      };
    case "const":
      return { message: `${label(path)} must be ${JSON.stringify(p.allowedValue)}`, path, atKey: false };
    case "pattern": {
      const desc = (e.parentSchema as { description?: string } | undefined)?.description;
      const got = `got ${JSON.stringify(e.data)}`;
      return {
        message: desc
          ? `${label(path)} must be ${desc} (${got})`
          : `${label(path)} must match ${String(p.pattern)} (${got})`,
        path,
        atKey: false,
      };
    }
    default:
      return { message: `${label(path)} ${e.message ?? "is invalid"}`, path, atKey: false };
  }
}

/**
 * withoutEchoes drops "missing key X" when the same map has an unknown key that is a misspelling of
 * X: one typo is one problem, and the did-you-mean already says what to write.
 */
export function withoutEchoes(errors: readonly ErrorObject[]): ErrorObject[] {
  const typos = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== "additionalProperties") continue;
    const known = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
    const meant = closest(String((e.params as { additionalProperty?: unknown }).additionalProperty), known);
    if (meant !== undefined) typos.add(`${e.instancePath}#${meant}`);
  }
  return errors.filter(
    (e) =>
      e.keyword !== "required" ||
      !typos.has(`${e.instancePath}#${String((e.params as { missingProperty?: unknown }).missingProperty)}`),
  );
}

const SHAPE = new Set(["type", "const"]);
const SUMMARY = new Set(["anyOf", "oneOf", "if"]);

/**
 * wrongBranch says whether `e` only says that a value is not the type (or constant) of some anyOf
 * branch while another error at or below the same place shows which branch was meant (`group: {…}`
 * with a bad interval is not "must be false").
 */
function wrongBranch(e: ErrorObject, errors: readonly ErrorObject[]): boolean {
  if (!SHAPE.has(e.keyword)) return false;
  return errors.some(
    (o) =>
      !SHAPE.has(o.keyword) &&
      !SUMMARY.has(o.keyword) &&
      (o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`)),
  );
}

/**
 * schemaProblems positions every Ajv error in the YAML source. Errors from the branches of an
 * anyOf are noisy, so when a more specific error exists for a path, the anyOf summary and the
 * other branches' type errors are dropped.
 */
export function schemaProblems(
  source: YamlSource,
  errors: readonly ErrorObject[] | null | undefined,
): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    if (SUMMARY.has(e.keyword) || wrongBranch(e, errors ?? [])) continue;
    const worded = wordError(e, pointerToPath(e.instancePath));
    const problem = problemAt(source, worded.path, worded.message, worded.atKey);
    const key = `${problem.line}:${problem.col}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}
