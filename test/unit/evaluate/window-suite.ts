// One semantic test suite run against every WindowStore, so the Redis and memory stores behave the same.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type {
  WindowClock,
  WindowHit,
  WindowOutcome,
  WindowStore,
} from "../../../src/evaluate/window/types.js";

/** StoreHarness is one store under test plus a way to see how much it keeps and to clean up. */
export interface StoreHarness {
  store: WindowStore;
  /** Entries kept for a window key: ids/values zsets and the samples list. */
  sizes(key: string, nowMs: number): Promise<{ ids: number; values: number; samples: number }>;
  close(): Promise<void>;
}

/** StoreFactory names a store and makes a fresh, isolated one for each test. */
export interface StoreFactory {
  name: string;
  make(): Promise<StoreHarness>;
}

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const MIN = 60_000;
const W = 10 * MIN;

/** hit builds a WindowHit with the spam-rate-limit shape (more than 5 in 10m, 30m cooldown). */
export function hit(id: string, eventTimeMs: number, over: Partial<WindowHit> = {}): WindowHit {
  return {
    key: "rule|pn1",
    eventId: id,
    eventTimeMs,
    windowMs: W,
    moreThan: 5,
    cooldownMs: 30 * MIN,
    resolveAfterMs: W,
    sample: JSON.stringify({ event_id: id }),
    maxSamples: 3,
    maxEntries: 100_000,
    ...over,
  };
}

/** at is the clock of a batch processed at `nowMs` and received then, with the default 5 minutes of future skew. */
export function at(nowMs: number, receivedMs = nowMs): WindowClock {
  return { nowMs, futureLimitMs: receivedMs + 5 * MIN };
}

function kinds(outcomes: readonly WindowOutcome[]): string[] {
  return outcomes.map((o) => o.kind);
}

/** windowStoreSuite registers the shared semantics tests for each factory. */
export function windowStoreSuite(factories: readonly StoreFactory[]): void {
  describe.each(factories)("window store semantics: $name", (factory) => {
    let h: StoreHarness;
    const apply = (hits: WindowHit[], nowMs: number) => h.store.apply(hits, at(nowMs));
    const six = (key = "rule|pn1") =>
      Array.from({ length: 6 }, (_, i) => hit(`e${i}`, T0 + i * MIN, { key }));

    beforeEach(async () => {
      h = await factory.make();
    });
    afterEach(async () => {
      await h.close();
    });

    it("fires on the (N+1)th event, not the Nth, with the firing's facts", async () => {
      const hits = six();
      const first5 = await apply(hits.slice(0, 5), T0 + 5 * MIN);
      expect(first5).toEqual([1, 2, 3, 4, 5].map((count) => ({ kind: "counted", count })));
      const [sixth] = await apply(hits.slice(5), T0 + 5 * MIN);
      expect(sixth).toEqual({
        kind: "fired",
        firing: {
          count: 6,
          eventCount: 6,
          firstSeenMs: T0,
          lastSeenMs: T0 + 5 * MIN,
          crossingEventId: "e5",
          samples: ["e3", "e4", "e5"].map((id) => JSON.stringify({ event_id: id })),
          capped: false,
        },
      });
    });

    it("places events on the window edge: exactly at now - window is late, one ms later counts", async () => {
      const now = T0 + W;
      expect(await apply([hit("edge", T0), hit("inside", T0 + 1)], now)).toEqual([
        { kind: "late" },
        { kind: "counted", count: 1 },
      ]);
    });

    it("trims events that fell out of the window", async () => {
      await apply(six().slice(0, 5), T0 + 5 * MIN);
      // Ten minutes after e0..e2 (at T0, T0+1m, T0+2m) only e3, e4 remain, plus the new one.
      expect(await apply([hit("late-new", T0 + 12 * MIN)], T0 + 12 * MIN)).toEqual([
        { kind: "counted", count: 3 },
      ]);
    });

    it("ignores late events: they neither count nor fire", async () => {
      await apply(six().slice(0, 5), T0 + 5 * MIN);
      const old = Array.from({ length: 5 }, (_, i) => hit(`old${i}`, T0 - 20 * MIN - i));
      expect(kinds(await apply(old, T0 + 5 * MIN))).toEqual(Array(5).fill("late"));
      expect(await apply([hit("new", T0 + 6 * MIN)], T0 + 6 * MIN)).toMatchObject([{ kind: "fired" }]);
    });

    it("never counts the same event id twice", async () => {
      const e = hit("same", T0);
      expect(await apply([e, e], T0)).toEqual([{ kind: "counted", count: 1 }, { kind: "duplicate" }]);
      expect(await apply([e, hit("other", T0)], T0 + MIN)).toEqual([
        { kind: "duplicate" },
        { kind: "counted", count: 2 },
      ]);
    });

    it("refires the same firing when the crossing event is redelivered, and only then", async () => {
      const hits = six();
      const [fired] = (await apply(hits, T0 + 5 * MIN)).slice(5);
      if (fired?.kind !== "fired") throw new Error(`expected fired, got ${fired?.kind}`);
      expect(await apply([hits[5]!], T0 + 7 * MIN)).toEqual([{ kind: "refired", firing: fired.firing }]);
      expect(await apply([hits[5]!, hits[2]!], T0 + 8 * MIN)).toEqual([
        { kind: "refired", firing: fired.firing },
        { kind: "duplicate" },
      ]);
    });

    it("keeps groups apart", async () => {
      const a = six("rule|A");
      const b = six("rule|B");
      const interleaved = a.flatMap((x, i) => [x, b[i]!]).slice(0, 11);
      expect(kinds(await apply(interleaved, T0 + 5 * MIN))).toEqual([...Array(10).fill("counted"), "fired"]);
      expect(await apply([b[5]!], T0 + 5 * MIN)).toMatchObject([{ kind: "fired", firing: { count: 6 } }]);
    });

    it("counts distinct values when asked", async () => {
      const d = (id: string, value: string, t: number) => hit(id, t, { moreThan: 2, distinctValue: value });
      const out = await apply(
        [
          d("1", "+1", T0),
          d("2", "+1", T0 + 1),
          d("3", "+2", T0 + 2),
          d("4", "+2", T0 + 3),
          d("5", "+3", T0 + 4),
        ],
        T0 + 5,
      );
      expect(out.slice(0, 4)).toEqual([1, 1, 2, 2].map((count) => ({ kind: "counted", count })));
      // First seen is the oldest event counted; the event count says how many events the 3 values came from.
      expect(out[4]).toMatchObject({
        kind: "fired",
        firing: { count: 3, eventCount: 5, firstSeenMs: T0, lastSeenMs: T0 + 4, crossingEventId: "5" },
      });
      expect(await apply([d("3", "+2", T0 + 2)], T0 + 6)).toEqual([{ kind: "duplicate" }]);
    });

    it("stays quiet during the cooldown and fires again after it", async () => {
      const rule = { cooldownMs: 5 * MIN };
      const burst = Array.from({ length: 6 }, (_, i) => hit(`a${i}`, T0 + i * 1000, rule));
      expect((await apply(burst, T0 + 6000)).at(-1)).toMatchObject({ kind: "fired", firing: { count: 6 } });
      expect(await apply([hit("b1", T0 + MIN, rule)], T0 + MIN)).toEqual([
        { kind: "cooldown", count: 7, untilMs: T0 + 6000 + 5 * MIN },
      ]);
      const after = await apply([hit("b2", T0 + 6 * MIN, rule)], T0 + 6 * MIN);
      expect(after).toMatchObject([{ kind: "fired", firing: { count: 8, crossingEventId: "b2" } }]);
    });

    it("fires every new event of a rule without a threshold, never late, deduplicated, with cooldown", async () => {
      const nt = (id: string, t: number, cooldownMs = 0) =>
        hit(id, t, { windowMs: 0, moreThan: 0, cooldownMs });
      const ancient = T0 - 3 * 86_400_000;
      expect(await apply([nt("x1", T0), nt("x2", ancient), nt("x2", ancient)], T0)).toEqual([
        {
          kind: "fired",
          firing: {
            count: 1,
            eventCount: 1,
            firstSeenMs: T0,
            lastSeenMs: T0,
            crossingEventId: "x1",
            samples: [nt("x1", T0).sample],
            capped: false,
          },
        },
        {
          kind: "fired",
          firing: {
            count: 1,
            eventCount: 1,
            firstSeenMs: ancient,
            lastSeenMs: ancient,
            crossingEventId: "x2",
            samples: [nt("x2", ancient).sample],
            capped: false,
          },
        },
        {
          kind: "refired",
          firing: {
            count: 1,
            eventCount: 1,
            firstSeenMs: ancient,
            lastSeenMs: ancient,
            crossingEventId: "x2",
            samples: [nt("x2", ancient).sample],
            capped: false,
          },
        },
      ]);
      expect(await apply([nt("x1", T0)], T0 + MIN)).toEqual([{ kind: "duplicate" }]);
      const cool = await apply([nt("c1", T0, MIN), nt("c2", T0, MIN)], T0 + 2 * MIN);
      expect(kinds(cool)).toEqual(["fired", "cooldown"]);
    });

    it("counts every event inside the window, however many, and keeps maxSamples samples", async () => {
      const hits = Array.from({ length: 10_000 }, (_, i) => hit(`n${i}`, T0 + i, { cooldownMs: 0 }));
      const out = await apply(hits, T0 + 10_000);
      expect(out.filter((o) => o.kind === "fired")).toHaveLength(10_000 - 5);
      expect(out.at(-1)).toMatchObject({ kind: "fired", firing: { count: 10_000, firstSeenMs: T0 } });
      expect(await h.sizes("rule|pn1", T0 + 10_000)).toEqual({ ids: 10_000, values: 0, samples: 3 });
      // An event older than all the others still counts: nothing decides the count but the window.
      expect(await apply([hit("older", T0 - 5, { cooldownMs: 0 })], T0 + 10_000)).toMatchObject([
        { kind: "fired", firing: { count: 10_001, firstSeenMs: T0 - 5, lastSeenMs: T0 + 9_999 } },
      ]);
    });

    it("re-fires after the cooldown with the true count, not more_than + 1", async () => {
      const rule = { cooldownMs: 5 * MIN };
      const burst = Array.from({ length: 500 }, (_, i) => hit(`b${i}`, T0 + i * 100, rule));
      const out = await apply(burst, T0 + 60_000);
      expect(out.filter((o) => o.kind === "fired")).toHaveLength(1);
      const [again] = await apply([hit("after", T0 + 6 * MIN, rule)], T0 + 6 * MIN);
      expect(again).toMatchObject({
        kind: "fired",
        firing: { count: 501, eventCount: 501, firstSeenMs: T0, lastSeenMs: T0 + 6 * MIN },
      });
    });

    it("counts a new distinct value whatever its time, and each value once", async () => {
      const d = (id: string, value: string, t: number) => hit(id, t, { moreThan: 3, distinctValue: value });
      // Ten events of one recipient, then three new recipients with slightly older timestamps.
      const same = Array.from({ length: 10 }, (_, i) => d(`a${i}`, "+A", T0 + 10_000 + i));
      const older = ["+B", "+C", "+D"].map((v, i) => d(`n${i}`, v, T0 + 5_000 - i));
      const out = await apply([...same, ...older], T0 + 20_000);
      expect(out.slice(0, 10).every((o) => o.kind === "counted" && o.count === 1)).toBe(true);
      expect(out.slice(10)).toMatchObject([
        { kind: "counted", count: 2 },
        { kind: "counted", count: 3 },
        { kind: "fired", firing: { count: 4, eventCount: 13, firstSeenMs: T0 + 5_000 - 2 } },
      ]);
      const tie = (id: string, value: string) =>
        hit(id, T0, { key: "rule|tie", moreThan: 1, distinctValue: value });
      expect(kinds(await apply([tie("t1", "A"), tie("t2", "A"), tie("t3", "B")], T0))).toEqual([
        "counted",
        "counted",
        "fired",
      ]);
    });

    it("ignores events beyond the future limit: no state, no later influence", async () => {
      const y2100 = Date.UTC(2100, 0, 1);
      expect(kinds(await apply([hit("f1", y2100), hit("f2", y2100), hit("f3", y2100)], T0))).toEqual([
        "future",
        "future",
        "future",
      ]);
      expect(await h.sizes("rule|pn1", T0)).toEqual({ ids: 0, values: 0, samples: 0 });
      const burst = Array.from({ length: 6 }, (_, i) => hit(`e${i}`, T0 + i, { moreThan: 5 }));
      expect((await apply(burst, T0 + 10)).at(-1)).toMatchObject({ kind: "fired", firing: { count: 6 } });
      // Within the skew an event a little ahead of the clock counts.
      expect(await apply([hit("soon", T0 + 4 * MIN)], T0 + 11)).toMatchObject([
        { kind: "cooldown", count: 7 },
      ]);
    });

    it("lets the oldest entries give way past maxEntries and says the count is a floor", async () => {
      const capped = { maxEntries: 4, moreThan: 5, cooldownMs: 0 };
      const hits = Array.from({ length: 8 }, (_, i) => hit(`c${i}`, T0 + i, capped));
      const out = await apply(hits, T0 + 10);
      expect(out.filter((o) => o.kind === "fired")).toHaveLength(0);
      expect(out.slice(4)).toEqual([1, 1, 1, 1].map((evicted) => ({ kind: "counted", count: 4, evicted })));
      expect(await h.sizes("rule|pn1", T0 + 10)).toMatchObject({ ids: 4 });
      const low = { ...capped, moreThan: 2, key: "rule|low" };
      const fired = await apply(
        Array.from({ length: 6 }, (_, i) => hit(`l${i}`, T0 + i, low)),
        T0 + 10,
      );
      expect(fired.at(-1)).toMatchObject({ kind: "fired", firing: { count: 4, capped: true } });
    });
  });
}
