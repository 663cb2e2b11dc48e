// Meta's error object ({code, title, message, error_data.details, href}) as event facts, wherever it sits.
import { asInt, asObject, asObjects, asString, compact, type JsonObject } from "./coerce.js";

/** ErrorFacts are the error facts of SPEC.md "Events"; every one may be absent. */
export interface ErrorFacts {
  code?: number;
  title?: string;
  message?: string;
  details?: string;
  href?: string;
}

/**
 * errorFacts reads one error object; string codes ("131048", as YCloud sends) become ints. `details`
 * comes from `error_data.details`, or from a top-level `details` as older payloads and some BSPs send it.
 */
export function errorFacts(err: JsonObject): ErrorFacts {
  return compact({
    code: asInt(err.code),
    title: asString(err.title),
    message: asString(err.message),
    details: asString(asObject(err.error_data)?.details) ?? asString(err.details),
    href: asString(err.href),
  });
}

/**
 * metaErrors keeps the items of an `errors` array that are Meta error objects: those with a numeric
 * code. Flows health webhooks also have an `errors` array, of `{error_type, error_rate}` summaries
 * without a code; those are facts of their change (`flow.error_types`), not errors of their own.
 */
export function metaErrors(errors: unknown): JsonObject[] {
  return asObjects(errors).filter((err) => asInt(err.code) !== undefined);
}
