// Meta's error object ({code, title, message, error_data.details, href}) as event facts.
import { asInt, asObject, asString, compact, type JsonObject } from "./coerce.js";

/** ErrorFacts are the error facts of SPEC.md "Events"; every one may be absent. */
export interface ErrorFacts {
  code?: number;
  title?: string;
  message?: string;
  details?: string;
  href?: string;
}

/** errorFacts reads one error object; string codes ("131048", as YCloud sends) become ints. */
export function errorFacts(err: JsonObject): ErrorFacts {
  return compact({
    code: asInt(err.code),
    title: asString(err.title),
    message: asString(err.message),
    details: asString(asObject(err.error_data)?.details),
    href: asString(err.href),
  });
}
