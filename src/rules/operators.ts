// The operators whose meaning we widen beyond json-rules-engine's defaults, shared by the engine and the compiled matcher.
import { Operator } from "json-rules-engine";

/**
 * containsValue is `contains`: a substring of a string fact, or a member of a list fact. Any other fact
 * (absent, a number, an object) contains nothing, so a missing fact never matches.
 */
export function containsValue(fact: unknown, value: unknown): boolean {
  if (typeof fact === "string") return typeof value === "string" && fact.includes(value);
  return Array.isArray(fact) && fact.indexOf(value) > -1;
}

/** lacksValue is `doesNotContain`: a string or list fact without the value; any other fact does not match. */
export function lacksValue(fact: unknown, value: unknown): boolean {
  if (typeof fact === "string") return typeof value !== "string" || !fact.includes(value);
  return Array.isArray(fact) && fact.indexOf(value) === -1;
}

/** CUSTOM_OPERATORS replace the engine's list-only `contains` / `doesNotContain`; every Engine gets them. */
export const CUSTOM_OPERATORS: readonly Operator[] = [
  new Operator("contains", containsValue),
  new Operator("doesNotContain", lacksValue),
];
