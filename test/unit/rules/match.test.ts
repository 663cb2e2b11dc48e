import { describe, expect, it } from "vitest";
import { accountChange, ruleFrom, rulesFrom, statusError } from "./support.js";

describe("when: shorthand map", () => {
  it("a single value means equal", async () => {
    const rule = ruleFrom("{ code: 131048 }");
    expect((await rule.match(statusError(131048))).matched).toBe(true);
    expect((await rule.match(statusError(131049))).matched).toBe(false);
  });

  it("a list means in", async () => {
    const rule = ruleFrom("{ code: [131048, 131049] }");
    expect((await rule.match(statusError(131049))).matched).toBe(true);
    expect((await rule.match(statusError(131026))).matched).toBe(false);
  });

  it("several keys must all hold", async () => {
    const rule = ruleFrom("{ code: 131048, phone_number_id: '111' }");
    expect((await rule.match(statusError(131048, { phone_number_id: "111" }))).matched).toBe(true);
    expect((await rule.match(statusError(131048, { phone_number_id: "222" }))).matched).toBe(false);
  });

  it("dotted facts reach into nested facts", async () => {
    const rule = ruleFrom(
      "{ kind: message_template_status_update, template.name: welcome, event: [PAUSED, DISABLED] }",
    );
    const paused = accountChange("message_template_status_update", {
      event: "PAUSED",
      template: { name: "welcome" },
    });
    const other = accountChange("message_template_status_update", {
      event: "PAUSED",
      template: { name: "promo" },
    });
    expect((await rule.match(paused)).matched).toBe(true);
    expect((await rule.match(other)).matched).toBe(false);
  });

  it("value.* reaches into the raw account-change value", async () => {
    const rule = ruleFrom("{ kind: account_update, value.ban_info.waba_ban_state: SCHEDULE_FOR_DISABLE }");
    const event = accountChange("account_update", {
      event: "DISABLED_UPDATE",
      value: { ban_info: { waba_ban_state: "SCHEDULE_FOR_DISABLE" } },
    });
    expect((await rule.match(event)).matched).toBe(true);
  });
});

describe("when: condition tree", () => {
  const tree = `
      any:
        - all:
            - { fact: code, operator: equal, value: 131049 }
            - { fact: pricing.category, operator: equal, value: marketing }
        - not: { fact: code, operator: lessThan, value: 131000 }`;

  it("evaluates all / any / not with json-rules-engine operators", async () => {
    const rule = ruleFrom(tree);
    expect((await rule.match(statusError(131049, { pricing: { category: "marketing" } }))).matched).toBe(
      true,
    );
    expect((await rule.match(statusError(131026))).matched).toBe(true); // not < 131000
    expect((await rule.match(statusError(100))).matched).toBe(false);
  });

  it("accepts a fact with a JSON path, as json-rules-engine writes it", async () => {
    const rule = ruleFrom(`
      all:
        - { fact: template, path: "$.name", operator: equal, value: welcome }`);
    expect((await rule.match(accountChange("x", { template: { name: "welcome" } }))).matched).toBe(true);
  });

  it("reports why it matched or not, leaf by leaf, with dotted names", async () => {
    const rule = ruleFrom(`
      all:
        - { fact: code, operator: equal, value: 131049 }
        - { fact: pricing.category, operator: in, value: [marketing, utility] }`);
    const result = await rule.match(statusError(131049, { pricing: { category: "service" } }));
    expect(result.matched).toBe(false);
    expect(result.conditions).toEqual([
      { fact: "code", operator: "equal", value: 131049, actual: 131049, result: true },
      {
        fact: "pricing.category",
        operator: "in",
        value: ["marketing", "utility"],
        actual: "service",
        result: false,
      },
    ]);
  });

  it("compares with another fact when value is { fact }", async () => {
    const rule = ruleFrom(`
      all:
        - { fact: quality.new, operator: notEqual, value: { fact: quality.previous } }`);
    const changed = accountChange("message_template_quality_update", {
      quality: { previous: "GREEN", new: "RED" },
    });
    const same = accountChange("message_template_quality_update", {
      quality: { previous: "RED", new: "RED" },
    });
    expect((await rule.match(changed)).matched).toBe(true);
    expect((await rule.match(same)).matched).toBe(false);
  });
});

describe("contains and doesNotContain", () => {
  it("test substrings of string facts and members of list facts", async () => {
    const [has, lacks, listed] = rulesFrom(`
rules:
  - id: has
    description: payment wording in details
    when: { all: [{ fact: details, operator: contains, value: payment }] }
  - id: lacks
    description: details without payment wording
    when: { all: [{ fact: details, operator: doesNotContain, value: payment }] }
  - id: listed
    description: a tag in a list fact
    when: { all: [{ fact: value.tags, operator: contains, value: vip }] }
`);
    const payment = {
      ...statusError(131042),
      details: "Message failed to send because of an issue related to your payment method.",
    };
    const other = { ...statusError(131042), details: "Something else went wrong." };
    expect((await has!.match(payment)).matched).toBe(true);
    expect((await has!.match(other)).matched).toBe(false);
    expect((await lacks!.match(payment)).matched).toBe(false);
    expect((await lacks!.match(other)).matched).toBe(true);
    expect((await lacks!.match(statusError(131042))).matched).toBe(false);
    expect((await listed!.match({ ...other, value: { tags: ["a", "vip"] } })).matched).toBe(true);
    expect((await listed!.match({ ...other, value: { tags: "not-vip-list" } })).matched).toBe(true);
    expect((await listed!.match({ ...other, value: { tags: ["vipx"] } })).matched).toBe(false);
  });
});

describe("missing facts", () => {
  it("are a non-match, never a throw", async () => {
    const rules = rulesFrom(`
rules:
  - id: a
    description: nested fact on an event without it
    when: { template.name: welcome }
  - id: b
    description: numeric operator on an absent fact
    when: { all: [{ fact: code, operator: greaterThan, value: 100 }] }
  - id: c
    description: contains on an absent fact
    when: { all: [{ fact: value.errors, operator: contains, value: 1 }] }
  - id: d
    description: deep path through a scalar
    when: { value.ban_info.state.deeper: x }
`);
    const plain = accountChange("status", { status: "sent", value: { ban_info: "scalar" } });
    for (const rule of rules) {
      const result = await rule.match(plain);
      expect(result.matched, rule.id).toBe(false);
    }
    const trace = (await rules[0]!.match(plain)).conditions[0];
    expect(trace).toMatchObject({ fact: "template.name", actual: undefined, result: false });
  });

  it("notEqual holds when the fact is absent", async () => {
    const rule = ruleFrom("{ all: [{ fact: biz_opaque_callback_data, operator: notEqual, value: test }] }");
    expect((await rule.match(statusError(131026))).matched).toBe(true);
  });
});

describe("compiled rules", () => {
  it("apply defaults and are frozen", () => {
    const rule = ruleFrom("{ code: 131048 }", "    threshold: { more_than: 5, within: 10m }\n");
    expect(rule.severity).toBe("warning");
    expect(rule.notify).toEqual(["ops"]);
    expect(rule.cooldownMs).toBe(15 * 60_000);
    expect(rule.resolveAfterMs).toBe(10 * 60_000); // the window
    expect(rule.threshold).toEqual({ kind: "count", moreThan: 5, withinMs: 600_000 });
    expect(rule.groupBy).toEqual([]);
    expect(rule.enabled).toBe(true);
    expect(Object.isFrozen(rule)).toBe(true);
    expect(Object.isFrozen(rule.when)).toBe(true);
    expect(() => (rule.notify as string[]).push("x")).toThrow();
  });

  it("resolve_after defaults to the cooldown when there is no threshold", () => {
    const rule = ruleFrom("{ code: 131031 }", "    cooldown: 1h\n");
    expect(rule.resolveAfterMs).toBe(3_600_000);
  });

  it("say where they are written", () => {
    const [, second] = rulesFrom(
      "rules:\n  - id: a\n    description: x\n    when: { code: 1 }\n  - id: b\n    description: y\n    when: { code: 2 }\n",
      "rules/x.yaml",
    );
    expect(second?.source).toEqual({ file: "rules/x.yaml", line: 5, col: 5 });
  });
});

describe("concurrent matching", () => {
  it("gives every one of many concurrent runs of one rule its own verdict", async () => {
    // json-rules-engine marks an engine FINISHED when a run ends; a shared engine made concurrent runs
    // (workers evaluate several batches at once) skip the rule and miss matches.
    const rule = ruleFrom("{ code: 131048 }");
    const events = Array.from({ length: 200 }, (_, i) => statusError(i % 2 === 0 ? 131048 : 131049));
    const runs: Promise<{ matched: boolean }>[] = [];
    for (const [i, e] of events.entries()) {
      runs.push(rule.match(e));
      // Start the next run part-way through the previous ones, as interleaved batches do.
      for (let k = 0; k < i % 7; k++) await Promise.resolve();
    }
    const verdicts = await Promise.all(runs);
    expect(verdicts.map((v) => v.matched)).toEqual(events.map((e) => e.code === 131048));
  });
});
