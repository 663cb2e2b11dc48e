// Checks a silence's matchers against what alerts carry, with did-you-mean: POST /api/silences and the console.
import type { RuleSet } from "../rules/types.js";
import { isKnownFact } from "../rules/facts.js";
import { closest } from "../shared/suggest.js";

/** SILENCE_KEYS are the matcher keys every alert carries (besides its rule's group_by facts). */
export const SILENCE_KEYS: readonly string[] = Object.freeze([
  "rule",
  "severity",
  "code",
  "waba_id",
  "phone_number_id",
  "display_phone_number",
]);

const SEVERITIES = ["info", "warning", "critical"];

function hint(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? "" : `; did you mean "${c}"?`;
}

/** silenceKeys lists what a silence can match now: SILENCE_KEYS and every fact a loaded rule groups by. */
export function silenceKeys(set: RuleSet): string[] {
  return [...new Set([...SILENCE_KEYS, ...set.rules.flatMap((r) => r.groupBy)])];
}

/**
 * matcherProblems names every matcher that could never match an alert of the loaded rules: an unknown
 * rule id, an unknown severity, a code that is not a number, a key no alert carries.
 */
export function matcherProblems(matchers: Record<string, unknown>, set: RuleSet): string[] {
  const problems: string[] = [];
  const keys = silenceKeys(set);
  const ruleIds = set.rules.map((r) => r.id);
  for (const [key, raw] of Object.entries(matchers)) {
    const value = String(raw);
    if (key === "rule") {
      if (!ruleIds.includes(value)) problems.push(`unknown rule "${value}"${hint(value, ruleIds)}`);
    } else if (key === "severity") {
      if (!SEVERITIES.includes(value))
        problems.push(`severity "${value}" is not one of ${SEVERITIES.join(", ")}${hint(value, SEVERITIES)}`);
    } else if (key === "code") {
      if (!/^\d+$/.test(value)) problems.push(`code "${value}" is not an error code such as 131048`);
    } else if (!keys.includes(key)) {
      const known = isKnownFact(key)
        ? `"${key}" is a fact, but no rule groups by it, so no alert carries it`
        : `unknown matcher "${key}"${hint(key, keys)}`;
      problems.push(`${known}; a silence can match ${keys.join(", ")}`);
    }
  }
  return problems;
}
