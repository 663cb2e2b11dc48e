// Inhibiting sources on real Redis: seen by every process, replaced per alert stream, bounded, expiring.
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { InhibitSource } from "../../../src/alerts/inhibit.js";
import { createRedisSourceStore } from "../../../src/alerts/inhibit-store.js";
import { deleteRedisPrefix } from "../../helpers/engine.js";

const prefix = `test-inhibit-${Math.random().toString(36).slice(2, 10)}`;
const source = (id: string, fingerprint: string, untilMs: number): InhibitSource => ({
  id,
  fingerprint,
  rule: "template-paused",
  facts: { rule: "template-paused", waba_id: "w1" },
  untilMs,
});

describe("inhibit source store", () => {
  const clients = [new Redis("redis://127.0.0.1:6379"), new Redis("redis://127.0.0.1:6379")];
  const [one, other] = clients.map((c) => createRedisSourceStore(c, prefix, 3)) as [
    ReturnType<typeof createRedisSourceStore>,
    ReturnType<typeof createRedisSourceStore>,
  ];

  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    for (const c of clients) c.disconnect();
  });

  it("shares sources between processes, one per stream, removed only by the firing that is current", async () => {
    await one.add(source("a1", "fp-a", 1000));
    await one.add(source("a2", "fp-a", 2000));
    expect((await other.active(0)).map((s) => s.id)).toEqual(["a2"]);
    await other.remove("fp-a", "a1");
    expect((await one.active(0)).map((s) => s.id)).toEqual(["a2"]);
    await other.remove("fp-a", "a2");
    expect(await one.active(0)).toEqual([]);
  });

  it("forgets sources once their time is up, and keeps at most its bound (the soonest to end go first)", async () => {
    await one.add(source("b", "fp-b", 500));
    expect(await one.active(500)).toEqual([]);
    expect(await one.size()).toBe(0);
    for (const [i, until] of [4000, 1000, 3000, 2000].entries())
      await one.add(source(`c${i}`, `fp-c${i}`, until));
    expect((await other.active(0)).map((s) => s.id).sort()).toEqual(["c0", "c2", "c3"]);
  });
});
