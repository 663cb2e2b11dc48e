// Shared helpers for the rules tests: load options, events built by hand, rules compiled from YAML text.
import { fileURLToPath } from "node:url";
import { compileRule, type CompiledRule } from "../../../src/rules/compile.js";
import type { RuleLoadOptions } from "../../../src/rules/load.js";
import { validateRuleFile } from "../../../src/rules/validate.js";
import type { Event } from "../../../src/model/event.js";
import { formatProblem } from "../../../src/shared/problems.js";

/** REPO is the checkout's root directory. */
export const REPO = fileURLToPath(new URL("../../../", import.meta.url));

/** OPTS are load options like the example config's: channels ops and forward, default notify ops. */
export const OPTS: RuleLoadOptions = {
  baseDir: REPO,
  channels: ["ops", "forward"],
  defaults: { notify: ["ops"], cooldown: "15m", severity: "warning" },
};

/** statusError builds a failed-status event with an error code, as ingest would. */
export function statusError(code: number, extra: Partial<Event> = {}): Event {
  return {
    id: `evt-${code}-${Math.random()}`,
    source: "whatsapp",
    kind: "status_error",
    timestamp: 1_751_142_888,
    code,
    title: "error",
    status: "failed",
    waba_id: "102290129340398",
    phone_number_id: "106540352242922",
    recipient_id: "16315551234",
    message_id: "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1",
    ...extra,
  };
}

/** accountChange builds an account-level event (kind = the webhook field). */
export function accountChange(kind: string, extra: Partial<Event> = {}): Event {
  return {
    id: `evt-${kind}-${Math.random()}`,
    source: "whatsapp",
    kind,
    timestamp: 1_751_142_888,
    waba_id: "102290129340398",
    ...extra,
  };
}

/** rulesFrom validates and compiles YAML text, failing the test with the problems if it is invalid. */
export function rulesFrom(yaml: string, file = "inline.yaml"): CompiledRule[] {
  const check = validateRuleFile(file, yaml, OPTS);
  if (check.problems.length) throw new Error(check.problems.map(formatProblem).join("\n"));
  return check.specs.map(compileRule);
}

/** ruleFrom compiles a single rule with the given `when` (YAML flow or block text). */
export function ruleFrom(when: string, extra = ""): CompiledRule {
  const [rule] = rulesFrom(`rules:\n  - id: r\n    description: test rule\n    when: ${when}\n${extra}`);
  if (!rule) throw new Error("no rule compiled");
  return rule;
}
