import { afterEach, describe, expect, it, vi } from "vitest";
import { buildRuleSet, keysOf } from "../../../src/rules/index-rules.js";
import { loadRules } from "../../../src/rules/load.js";
import { accountChange, OPTS, ruleFrom, rulesFrom, statusError } from "./support.js";

const yaml = `
rules:
  - id: by-code
    description: pinned to one code
    when: { code: 131048 }
  - id: by-kind
    description: pinned to a kind
    when: { kind: account_update, event: DISABLED_UPDATE }
  - id: wildcard
    description: pins nothing
    when: { phone_number_id: "106540352242922" }
  - id: by-codes-in-any
    description: each branch pins a code
    when:
      any:
        - { all: [{ fact: code, operator: equal, value: 131049 }] }
        - { fact: code, operator: in, value: [131048, 131026] }
  - id: disabled
    description: not in the set
    enabled: false
    when: { code: 131048 }
`;

describe("rule index", () => {
  afterEach(() => vi.restoreAllMocks());

  it("analyses when: code first, then kind, else every event", () => {
    expect(keysOf(ruleFrom("{ code: [1, 2], kind: status_error }").when)).toEqual({ codes: new Set([1, 2]) });
    expect(keysOf(ruleFrom("{ kind: account_alerts }").when)).toEqual({ kinds: new Set(["account_alerts"]) });
    expect(
      keysOf(
        ruleFrom(
          "{ any: [{ fact: code, operator: equal, value: 1 }, { fact: kind, operator: equal, value: x }] }",
        ).when,
      ),
    ).toEqual({});
    expect(keysOf(ruleFrom("{ not: { fact: code, operator: equal, value: 1 } }").when)).toEqual({});
    expect(
      keysOf(ruleFrom("{ all: [{ fact: code, operator: equal, value: { fact: title } }] }").when),
    ).toEqual({});
  });

  it("gives an event only the rules that could match it, in file order, without disabled ones", () => {
    const set = buildRuleSet(rulesFrom(yaml), []);
    expect(set.rules.map((r) => r.id)).not.toContain("disabled");
    expect(set.candidates(statusError(131048)).map((r) => r.id)).toEqual([
      "by-code",
      "wildcard",
      "by-codes-in-any",
    ]);
    expect(set.candidates(statusError(131049)).map((r) => r.id)).toEqual(["wildcard", "by-codes-in-any"]);
    expect(set.candidates(statusError(100)).map((r) => r.id)).toEqual(["wildcard"]);
    expect(set.candidates(accountChange("account_update")).map((r) => r.id)).toEqual(["by-kind", "wildcard"]);
  });

  it("a plain status event meets only the default rules that count plain statuses (a ratio's of, an absence)", async () => {
    const result = await loadRules(["rules"], OPTS);
    if (!result.ok) throw new Error("default rules do not load");
    for (const status of ["sent", "delivered", "read"]) {
      const ids = result.set.candidates(accountChange("status", { status })).map((r) => r.id);
      expect(ids, status).toEqual(["failed-share", "number-went-silent"]);
    }
  });

  it("offers a ratio rule the events of its of as well as those of its when", () => {
    const [rule] = rulesFrom(`rules:
  - id: spam-share
    description: spam among statuses
    when: { code: 131048 }
    threshold: { within: 1h, ratio: { more_than: 0.1, of: { kind: [status, status_error] } } }
`);
    const set = buildRuleSet([rule!], []);
    expect(set.candidates(statusError(131048)).map((r) => r.id)).toEqual(["spam-share"]);
    expect(set.candidates(accountChange("status", { status: "delivered" })).map((r) => r.id)).toEqual(["spam-share"]);
    expect(set.candidates(accountChange("account_update"))).toEqual([]);
  });

  it("1,000 code-indexed rules cost one cached lookup per event", () => {
    const many = Array.from(
      { length: 1000 },
      (_, i) => `  - id: rule-${i}\n    description: code ${200000 + i}\n    when: { code: ${200000 + i} }\n`,
    ).join("");
    const set = buildRuleSet(rulesFrom(`rules:\n${many}`), []);
    const event = statusError(200500);
    const first = set.candidates(event);
    expect(first.map((r) => r.id)).toEqual(["rule-500"]);

    const get = vi.spyOn(Map.prototype, "get");
    const again = set.candidates(statusError(200500));
    expect(again).toBe(first); // the same frozen array: nothing allocated, nothing scanned
    // One lookup by code, one by kind inside it: the cost does not depend on the 1,000 rules.
    expect(get.mock.calls.length).toBeGreaterThan(0);
    expect(get.mock.calls.length).toBeLessThanOrEqual(2);
  });
});
