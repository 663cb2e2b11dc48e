// Digests on real Redis, shared by processes: one owner per digest, and a crash before sending loses nothing.
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Alert } from "../../../src/model/alert.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { createDigestStore, type DigestStore } from "../../../src/route/digest-store.js";
import { startDigestFlusher } from "../../../src/route/flusher.js";
import { createLogger } from "../../../src/shared/logger.js";
import { deleteRedisPrefix } from "../../helpers/engine.js";
import type { Notification } from "../../../src/model/notification.js";

const T0 = 1_767_300_000_000;
const INTERVAL = 60_000;
const LEASE = 30_000;
const prefixes: string[] = [];
const clients: Redis[] = [];

/** processes are `n` stores on their own Redis connections under one prefix, as separate workers would be. */
function processes(n: number, maxItems?: number): DigestStore[] {
  const prefix = `test-digest-${Math.random().toString(36).slice(2, 10)}`;
  prefixes.push(prefix);
  return Array.from({ length: n }, () => {
    const client = new Redis("redis://127.0.0.1:6379");
    clients.push(client);
    return createDigestStore(client, prefix, maxItems);
  });
}

const alert = (i: number): Alert => ({ ...sampleAlert(new Date(T0)), id: `a-${i}`, fingerprint: `fp-${i}` });

const admit = (store: DigestStore, i: number, nowMs: number, groupId = "g1") =>
  store.admit({
    groupId,
    channel: "ops",
    values: { rule: "spam-rate-limit" },
    alert: alert(i),
    intervalMs: INTERVAL,
    nowMs,
  });

/** flusherOn delivers into `out`, on a clock the test moves. */
function flusherOn(store: DigestStore, out: Notification[], clock: { now: number }) {
  return startDigestFlusher({
    store,
    deliver: async (n) => {
      out.push(...n);
    },
    intervalMs: 3_600_000,
    leaseMs: LEASE,
    log: createLogger("silent"),
    now: () => clock.now,
  });
}

describe("digest store", () => {
  afterEach(async () => {
    for (const p of prefixes.splice(0)) await deleteRedisPrefix(p);
  });
  afterAll(() => {
    for (const c of clients) c.disconnect();
  });

  it("sends the first alert of a group at once and gathers the rest, each alert once however often it comes", async () => {
    const [store] = processes(1) as [DigestStore];
    expect(await admit(store, 0, T0)).toBe("send");
    expect(await admit(store, 1, T0 + 10)).toBe("gathered");
    expect(await admit(store, 0, T0 + 20)).toBe("send");
    expect(await admit(store, 1, T0 + 30)).toBe("gathered");
    expect(await admit(store, 2, T0 + 40, "g2")).toBe("send");
    expect(await store.due(T0 + INTERVAL - 1, 10)).toEqual([]);
    const sealed = await store.seal("g1", T0 + INTERVAL, LEASE);
    expect(sealed?.digest).toMatchObject({ count: 2, sent_at_once: "a-0", alert_type: "alert.firing" });
    expect(sealed?.digest.alerts.map((a) => a.id)).toEqual(["a-0", "a-1"]);
  });

  it("has one owner per digest when two processes seal at once, and keeps gathering while the flood goes on", async () => {
    const stores = processes(2);
    const [a, b] = stores as [DigestStore, DigestStore];
    for (let i = 0; i < 200; i++)
      expect(await admit(i % 2 ? a : b, i, T0 + i)).toBe(i === 0 ? "send" : "gathered");
    const out: Notification[] = [];
    const clock = { now: T0 + INTERVAL + 500 };
    const flushers = stores.map((s) => flusherOn(s, out, clock));
    const sent = await Promise.all([...flushers, ...flushers].map((f) => f.tick()));
    expect(sent.reduce((x, y) => x + y, 0)).toBe(1);
    expect(out).toHaveLength(1);
    expect(out[0]?.digest?.alerts).toHaveLength(200);
    expect(out[0]?.digest?.count).toBe(200);

    // The group stays open for one more interval: a continuing flood goes into the next digest.
    expect(await admit(b, 200, clock.now + 1)).toBe("gathered");
    clock.now += INTERVAL;
    await Promise.all(flushers.map((f) => f.tick()));
    expect(out.map((n) => n.digest?.alerts.map((x) => x.id))).toEqual([expect.any(Array), ["a-200"]]);
    expect(out[1]?.digest?.sent_at_once).toBeUndefined();
    expect(out[1]?.digest?.id).not.toBe(out[0]?.digest?.id);

    // A quiet interval closes the group: the next alert is sent at once again, and no empty digest goes out.
    clock.now += INTERVAL;
    await Promise.all(flushers.map((f) => f.tick()));
    expect(out).toHaveLength(2);
    expect(await admit(a, 201, clock.now + 1)).toBe("send");
    await Promise.all(flushers.map((f) => f.close()));
  });

  it("delivers a digest whose owner died between sealing and sending, after its lease, with the same id", async () => {
    const [crashed, survivor] = processes(2) as [DigestStore, DigestStore];
    await admit(crashed, 0, T0);
    await admit(crashed, 1, T0 + 1);
    const claimed = await crashed.seal("g1", T0 + INTERVAL, LEASE);
    expect(claimed?.digest.alerts.map((a) => a.id)).toEqual(["a-0", "a-1"]);
    // ... and the process is gone before it hands the digest to delivery.

    const out: Notification[] = [];
    const clock = { now: T0 + INTERVAL + LEASE - 1 };
    const flusher = flusherOn(survivor, out, clock);
    expect(await flusher.tick()).toBe(0);
    clock.now += 2;
    expect(await flusher.tick()).toBe(1);
    expect(out[0]?.digest).toEqual(claimed?.digest);
    expect(out[0]?.channel).toBe("ops");
    clock.now += LEASE * 2;
    expect(await flusher.tick()).toBe(0);
    await flusher.close();
  });

  it("delivers again, same id, when handing on fails, and lists at most its cap while counting all", async () => {
    const [store] = processes(1, 3) as [DigestStore];
    for (let i = 0; i < 5; i++) await admit(store, i, T0 + i);
    const out: Notification[] = [];
    let failures = 1;
    const clock = { now: T0 + INTERVAL };
    const flusher = startDigestFlusher({
      store,
      deliver: async (n) => {
        if (failures-- > 0) throw new Error("Redis went away");
        out.push(...n);
      },
      intervalMs: 3_600_000,
      leaseMs: LEASE,
      log: createLogger("silent"),
      now: () => clock.now,
    });
    expect(await flusher.tick()).toBe(0);
    clock.now += LEASE;
    expect(await flusher.tick()).toBe(1);
    expect(out[0]?.digest).toMatchObject({ count: 5 });
    expect(out[0]?.digest?.alerts.map((a) => a.id)).toEqual(["a-0", "a-1", "a-2"]);
    await flusher.close();
  });
});
