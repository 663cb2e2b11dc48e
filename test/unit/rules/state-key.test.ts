import { describe, expect, it } from "vitest";
import { ruleFrom } from "./support.js";

const base = {
  when: "{ code: 131048 }",
  rest: "    group_by: [phone_number_id]\n    threshold: { more_than: 5, within: 10m }\n",
};

describe("stateKey", () => {
  const original = ruleFrom(base.when, base.rest);

  it("is the id plus a short hash", () => {
    expect(original.stateKey).toMatch(/^r@[0-9a-f]{12}$/);
  });

  it("stays the same across edits that do not change what is counted", () => {
    const edits = [
      ruleFrom(
        base.when,
        `${base.rest}    severity: critical\n    cooldown: 1h\n    actions: [call someone]\n`,
      ),
      ruleFrom(base.when, `${base.rest}    notify: [forward]\n    resolve_after: 2h\n`),
      ruleFrom("{ all: [{ fact: code, operator: equal, value: 131048 }] }", base.rest), // same meaning, tree form
      ruleFrom(base.when, base.rest.replace("10m", "600s")), // same window
    ];
    for (const edited of edits) expect(edited.stateKey).toBe(original.stateKey);
  });

  it("changes when when, group_by or threshold change", () => {
    const edits = [
      ruleFrom("{ code: [131048, 131049] }", base.rest),
      ruleFrom(base.when, base.rest.replace("[phone_number_id]", "[waba_id]")),
      ruleFrom(base.when, base.rest.replace("more_than: 5", "more_than: 6")),
    ];
    for (const edited of edits) expect(edited.stateKey).not.toBe(original.stateKey);
  });
});
