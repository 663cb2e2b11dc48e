// The pending-resolve store on real Redis: one claimer per due entry, newer firings replace older ones.
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createResolveStore, type PendingResolve } from "../../../src/alerts/resolve-store.js";
import type { Alert } from "../../../src/model/alert.js";
import { deleteRedisPrefix } from "../../helpers/engine.js";

const T0 = 1_767_300_000_000;
const prefix = `test-resolve-${Math.random().toString(36).slice(2, 10)}`;

const entry = (id: string, firedAtMs: number): PendingResolve => ({
  alert: { id } as Alert,
  windowKey: "spam|1",
  windowMs: 600_000,
  moreThan: 5,
  distinct: false,
  resolveAfterMs: 600_000,
  firedAtMs,
});

describe("resolve store", () => {
  const clients = Array.from({ length: 4 }, () => new Redis("redis://127.0.0.1:6379"));
  const stores = clients.map((c) => createResolveStore(c, prefix));

  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    for (const c of clients) c.disconnect();
  });

  it("hands a due entry to exactly one of many concurrent claimers, and not before it is due", async () => {
    await stores[0]!.register(entry("a1", T0));
    expect(await stores[0]!.claim(T0 + 599_999, 60_000, 10)).toEqual([]);
    const claims = await Promise.all(stores.map((s) => s.claim(T0 + 600_000, 60_000, 10)));
    expect(claims.flat().map((e) => e.alert.id)).toEqual(["a1"]);
    // Within the lease nobody else gets it; after the lease it is offered again (crash safety).
    expect(await stores[1]!.claim(T0 + 650_000, 60_000, 10)).toEqual([]);
    expect((await stores[2]!.claim(T0 + 660_000, 60_000, 10)).map((e) => e.alert.id)).toEqual(["a1"]);
    expect(await stores[2]!.finish(entry("a1", T0))).toBe(true);
    expect(await stores[0]!.size()).toBe(0);
  });

  it("lets a later firing of the same window replace the entry, and ignores settling the old one", async () => {
    expect(await stores[0]!.register(entry("old", T0))).toEqual({ registered: true });
    expect(await stores[0]!.register(entry("new", T0 + 1000))).toEqual({ registered: true, replaced: "old" });
    // A redelivery of the current firing registers again without replacing anything.
    expect(await stores[0]!.register(entry("new", T0 + 1000))).toEqual({ registered: true });
    expect(await stores[0]!.register(entry("old", T0))).toEqual({ registered: false, newer: "new" });
    expect(await stores[0]!.finish(entry("old", T0))).toBe(false);
    const claimed = await stores[0]!.claim(T0 + 601_000, 60_000, 10);
    expect(claimed.map((e) => e.alert.id)).toEqual(["new"]);
    await stores[0]!.finish(entry("new", T0 + 1000));
  });
});
