// Inhibition as rules describe it: a firing source holds back matching targets with the same `equal` facts.
import { describe, expect, it } from "vitest";
import {
  createInhibitor,
  createMemorySourceStore,
  INHIBIT_MAX_MS,
  type InhibitSource,
  type InhibitSourceStore,
  inhibitorOf,
} from "../../../src/alerts/inhibit.js";
import { alertFacts } from "../../../src/alerts/match.js";
import type { Alert } from "../../../src/model/alert.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import type { Inhibition } from "../../../src/rules/types.js";

const AT = { file: "rules/x.yaml", line: 1, col: 1 };
const PAUSE: Inhibition = {
  source: { rule: ["template-paused"] },
  target: { code: ["132015", "132016"] },
  equal: ["waba_id"],
  at: AT,
};

function alert(over: Partial<Alert> & { id: string }): Alert {
  const base = sampleAlert(new Date(0));
  return { ...base, fingerprint: `fp-${over.id}`, ...over };
}

const paused = alert({
  id: "pause-1",
  rule: { id: "template-paused", description: "paused", severity: "critical" },
  code: undefined,
  group: { waba_id: "w1", "template.name": "promo" },
  where: { waba_id: "w1" },
});
const rejected = (id: string, waba: string, code = 132015) =>
  alert({
    id,
    rule: { id: "template-unavailable", description: "rejected", severity: "warning" },
    code,
    group: { phone_number_id: "111" },
    where: { waba_id: waba, phone_number_id: "111" },
  });

function sourceOf(a: Alert, untilMs = 1000): InhibitSource {
  return { id: a.id, fingerprint: a.fingerprint, rule: a.rule.id, facts: alertFacts(a), untilMs };
}

describe("inhibitorOf", () => {
  it("holds back a matching target with the same equal facts, naming the source", () => {
    expect(inhibitorOf(rejected("r1", "w1"), [sourceOf(paused)], [PAUSE], 0)?.id).toBe("pause-1");
    expect(inhibitorOf(rejected("r2", "w1", 132016), [sourceOf(paused)], [PAUSE], 0)?.id).toBe("pause-1");
  });

  it("lets through a target of another WABA, a non-target, and anything once the source has expired", () => {
    expect(inhibitorOf(rejected("r1", "w2"), [sourceOf(paused)], [PAUSE], 0)).toBeUndefined();
    expect(inhibitorOf(rejected("r1", "w1", 131048), [sourceOf(paused)], [PAUSE], 0)).toBeUndefined();
    expect(inhibitorOf(rejected("r1", "w1"), [sourceOf(paused, 1000)], [PAUSE], 1000)).toBeUndefined();
  });

  it("never counts a fact missing on both sides as equal", () => {
    const noWaba = { ...rejected("r1", "w1"), where: { phone_number_id: "111" } };
    const sourceWithout = sourceOf({ ...paused, group: {}, where: {} });
    expect(inhibitorOf(noWaba, [sourceWithout], [PAUSE], 0)).toBeUndefined();
  });

  it("never lets an alert stream inhibit itself, and needs the source matcher to hold for the source", () => {
    const everything: Inhibition = {
      source: { severity: ["critical"] },
      target: { severity: ["critical"] },
      equal: [],
      at: AT,
    };
    expect(inhibitorOf(paused, [sourceOf(paused)], [everything], 0)).toBeUndefined();
    const notASource = sourceOf(rejected("r0", "w1"));
    expect(inhibitorOf(rejected("r1", "w1"), [notASource], [PAUSE], 0)).toBeUndefined();
  });

  it("matches values as text, whatever type the rule file wrote", () => {
    const byNumber: Inhibition = { ...PAUSE, target: { code: ["132015"] } };
    expect(inhibitorOf(rejected("r1", "w1"), [sourceOf(paused)], [byNumber], 0)?.id).toBe("pause-1");
  });
});

/** countingStore wraps a memory store and counts reads, to show non-targets cost nothing. */
function countingStore(): InhibitSourceStore & { reads: number } {
  const inner = createMemorySourceStore();
  const store = {
    reads: 0,
    add: (s: InhibitSource) => inner.add(s),
    remove: (f: string, id: string) => inner.remove(f, id),
    async active(now: number) {
      store.reads++;
      return inner.active(now);
    },
  };
  return store;
}

describe("createInhibitor", () => {
  it("keeps a fired source until it resolves, or INHIBIT_MAX_MS at the most", async () => {
    const store = countingStore();
    const inhibitor = createInhibitor({ inhibitions: () => [PAUSE], store });
    await inhibitor.batch().fired(paused, 0);
    expect((await inhibitor.batch().inhibitorOf(rejected("r1", "w1"), 10))?.id).toBe("pause-1");
    expect(await inhibitor.batch().inhibitorOf(rejected("r1", "w1"), INHIBIT_MAX_MS)).toBeUndefined();
    await inhibitor.batch().fired(paused, 0);
    await inhibitor.resolved(paused);
    expect(await inhibitor.batch().inhibitorOf(rejected("r1", "w1"), 10)).toBeUndefined();
  });

  it("reads the sources once per batch, and never for an alert no inhibition targets", async () => {
    const store = countingStore();
    const inhibitor = createInhibitor({ inhibitions: () => [PAUSE], store });
    const batch = inhibitor.batch();
    await batch.inhibitorOf(rejected("x", "w1", 131048), 0);
    expect(store.reads).toBe(0);
    await batch.fired(paused, 0);
    await batch.inhibitorOf(rejected("r1", "w1"), 0);
    expect((await batch.inhibitorOf(rejected("r2", "w1"), 0))?.id).toBe("pause-1");
    expect(store.reads).toBe(1);
  });

  it("takes only firing alerts of a source rule as sources, and a newer firing replaces an older one", async () => {
    const store = createMemorySourceStore();
    const inhibitor = createInhibitor({ inhibitions: () => [PAUSE], store });
    await inhibitor.batch().fired({ ...paused, type: "alert.resolved" }, 0);
    await inhibitor.batch().fired(rejected("r1", "w1"), 0);
    expect(store.list()).toEqual([]);
    await inhibitor.batch().fired(paused, 0);
    await inhibitor.batch().fired({ ...paused, id: "pause-2" }, 0);
    expect(store.list().map((s) => s.id)).toEqual(["pause-2"]);
    await inhibitor.resolved(paused);
    expect(store.list().map((s) => s.id)).toEqual(["pause-2"]);
  });
});
