// The evaluation stage over the memory window store: matching, grouping, alert contents and the trace.
import { describe, expect, it } from "vitest";
import { createEvaluator, type EvaluatorDeps } from "../../../src/evaluate/evaluator.js";
import { createMemoryWindowStore } from "../../../src/evaluate/window/memory-store.js";
import type { WindowHit, WindowStore } from "../../../src/evaluate/window/types.js";
import type { Event } from "../../../src/model/event.js";
import type { Rule } from "../../../src/rules/types.js";
import { testRule, testRuleSet } from "../../helpers/rules.js";
import { deliveredEvent, MIN, SPAM, spamEvent, spamRule, stubCatalog, T0 } from "./fixtures.js";

/** countingStore wraps a store and records every apply call. */
function countingStore(
  inner: WindowStore = createMemoryWindowStore(),
): WindowStore & { calls: WindowHit[][] } {
  const calls: WindowHit[][] = [];
  return {
    calls,
    apply(hits, clock) {
      calls.push([...hits]);
      return inner.apply(hits, clock);
    },
  };
}

function setup(rules: Rule[] = [spamRule], over: Partial<EvaluatorDeps> = {}) {
  const windows = countingStore();
  let reads = 0;
  const set = testRuleSet(rules);
  const evaluator = createEvaluator({
    rules: () => {
      reads++;
      return set;
    },
    catalog: stubCatalog,
    windows,
    maxSamples: 3,
    maskPhoneNumbers: true,
    ...over,
  });
  const run = async (events: Event[], nowMs = T0 + 6 * MIN) => {
    const evaluation = await evaluator.evaluate({ received_at: nowMs - 5, events }, nowMs);
    return { ...evaluation, alerts: evaluation.fired.map((f) => f.alert) };
  };
  return { evaluator, windows, run, reads: () => reads };
}

const six = (pn?: string) => Array.from({ length: 6 }, (_, i) => spamEvent(i, pn));

describe("evaluator", () => {
  it("fires exactly one alert for 6 × 131048 on one number within 10 minutes, with everything on-call needs", async () => {
    const { run } = setup();
    const { alerts } = await run(six());
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert).toMatchObject({
      type: "alert.firing",
      rule: {
        id: "spam-rate-limit",
        description: "Spam rate limit hit repeatedly on one number",
        severity: "critical",
      },
      group: { phone_number_id: "106540352242922" },
      code: 131048,
      title: "Spam rate limit hit",
      count: 6,
      window_seconds: 600,
      first_seen: new Date(T0).toISOString(),
      last_seen: new Date(T0 + 5 * MIN).toISOString(),
      meaning: SPAM.meaning,
      causes: SPAM.causes,
      actions: ["Check the number's quality rating in WhatsApp Manager", ...SPAM.actions],
      docs_url: SPAM.docsUrl,
      where: {
        waba_id: "102290129340398",
        phone_number_id: "106540352242922",
        display_phone_number: "15550783881",
      },
      notify: ["ops", "forward"],
      created_at: new Date(T0 + 6 * MIN).toISOString(),
      received_at: T0 + 6 * MIN - 5,
    });
    expect(alert.id).toMatch(/^[0-9a-f]{24}$/);
    expect(alert.samples.map((s) => s.event_id)).toEqual(
      ["e3", "e4", "e5"].map((e) => `106540352242922-${e}`),
    );
    expect(alert.samples[2]).toEqual({
      event_id: "106540352242922-e5",
      message_id: "wamid.106540352242922.5",
      recipient_id: "+1646****595",
      phone_number_id: "106540352242922",
      code: 131048,
      details: spamEvent(5).details,
      timestamp: new Date(T0 + 5 * MIN).toISOString(),
    });
  });

  it("fires nothing for 5", async () => {
    const { run } = setup();
    expect((await run(six().slice(0, 5))).alerts).toEqual([]);
  });

  it("fires nothing new for the same 6 again: only the same alert id is handed on again", async () => {
    const { run } = setup();
    const [first] = (await run(six())).alerts;
    const again = await run(six(), T0 + 7 * MIN);
    expect(again.alerts.map((a) => a.id)).toEqual([first!.id]);
    expect(again.trace.map((t) => t.rules[0]?.window?.kind)).toEqual([
      ...Array(5).fill("duplicate"),
      "refired",
    ]);
    // Six more distinct events inside the cooldown stay quiet.
    const more = Array.from({ length: 6 }, (_, i) => spamEvent(10 + i, undefined, T0 + 6 * MIN + i * 1000));
    expect((await run(more, T0 + 8 * MIN)).alerts).toEqual([]);
  });

  it("keeps two numbers in separate groups", async () => {
    const { run } = setup();
    const a = six("111");
    const b = six("222");
    const { alerts } = await run(a.flatMap((e, i) => [e, b[i]!]));
    expect(alerts.map((x) => x.group)).toEqual([{ phone_number_id: "111" }, { phone_number_id: "222" }]);
    expect(new Set(alerts.map((x) => x.id)).size).toBe(2);
  });

  it("gives rules catalog facts without changing the events it was handed", async () => {
    const seen: Event[] = [];
    const retryable = testRule({
      id: "retryable",
      when: (e) => {
        seen.push(e);
        return e.catalog?.retryable === true;
      },
    });
    const { run } = setup([retryable]);
    const events = [spamEvent(0), { ...spamEvent(1), code: 999_999 }];
    const before = structuredClone(events);
    const { alerts } = await run(events);
    expect(seen[0]!.catalog).toEqual({ category: "throttling", retryable: true });
    expect(seen[1]!.catalog).toBeUndefined();
    expect(events).toEqual(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ count: 1, window_seconds: 0, title: "Spam rate limit hit" });
  });

  it("masks recipients in samples unless told not to", async () => {
    const masked = (await setup().run(six())).alerts[0]!;
    const plain = (await setup([spamRule], { maskPhoneNumbers: false }).run(six())).alerts[0]!;
    expect(masked.samples.map((s) => s.recipient_id)).toEqual(Array(3).fill("+1646****595"));
    expect(plain.samples.map((s) => s.recipient_id)).toEqual(Array(3).fill("16465550595"));
  });

  it("makes no window call for events that meet no rule", async () => {
    const { run, windows } = setup();
    const evaluation = await run([deliveredEvent(0), deliveredEvent(1)]);
    expect(windows.calls).toEqual([]);
    expect(evaluation.alerts).toEqual([]);
    expect(evaluation.trace.map((t) => t.rules[0]?.match.matched)).toEqual([false, false]);
  });

  it("makes one window call per batch and reads the rule set once per batch", async () => {
    const { run, windows, reads } = setup();
    await run([...six("111"), deliveredEvent(0), ...six("222")]);
    expect(windows.calls.map((c) => c.length)).toEqual([12]);
    expect(reads()).toBe(1);
  });

  it("traces every candidate rule of every event with its match and window outcome", async () => {
    const other = testRule({ id: "other", when: (e) => e.code === 1 });
    const { run } = setup([spamRule, other]);
    const { trace, alerts } = await run(six());
    expect(trace).toHaveLength(6);
    expect(trace[5]).toMatchObject({
      eventId: "106540352242922-e5",
      code: 131048,
      kind: "status_error",
      eventTimeMs: T0 + 5 * MIN,
      rules: [
        {
          ruleId: "spam-rate-limit",
          match: { matched: true },
          group: { phone_number_id: "106540352242922" },
          window: { kind: "fired", firing: { count: 6 } },
          alertId: alerts[0]!.id,
        },
        { ruleId: "other", match: { matched: false } },
      ],
    });
    expect(trace[0]?.rules[0]?.window).toEqual({ kind: "counted", count: 1 });
  });

  it("gives the same crossing the same alert id in a fresh evaluator, and a different group a different one", async () => {
    const a = (await setup().run(six())).alerts[0]!;
    const b = (await setup().run(six())).alerts[0]!;
    const c = (await setup().run(six("999"))).alerts[0]!;
    expect(a.id).toBe(b.id);
    expect(c.id).not.toBe(a.id);
  });

  it("counts distinct values of a dotted fact and skips events that lack it", async () => {
    const rule = testRule({
      id: "templates",
      when: (e) => e.kind === "message_template_status_update",
      threshold: { kind: "distinct", moreThan: 1, withinMs: 10 * MIN, distinct: "template.name" },
    });
    const tpl = (i: number, name?: string): Event => ({
      id: `t${i}`,
      source: "whatsapp",
      kind: "message_template_status_update",
      timestamp: (T0 + i * 1000) / 1000,
      ...(name ? { template: { name } } : {}),
    });
    const { trace, alerts } = await setup([rule]).run([tpl(0, "a"), tpl(1, "a"), tpl(2), tpl(3, "b")]);
    expect(trace[2]?.rules[0]?.skipped).toBe("no value for distinct fact template.name");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ count: 2, title: "rule templates" });
  });
});

describe("evaluator without a trace (the events worker)", () => {
  it("fires the same alerts with the same window hits, and records no trace", async () => {
    const events = [...six(), deliveredEvent(7), ...six("200000000000002")];
    const traced = setup();
    const untraced = setup([spamRule], { trace: false });
    const a = await traced.run(events);
    const b = await untraced.run(events);
    expect(b.alerts).toEqual(a.alerts);
    expect(untraced.windows.calls).toEqual(traced.windows.calls);
    expect(b.trace).toEqual([]);
    expect(a.trace.length).toBe(events.length);
  });
});
