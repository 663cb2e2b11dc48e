// The shared window semantics on the Redis store, plus what only Redis has: TTLs, hash tags, many workers.
import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createRedisWindowStore, windowKeys } from "../../../src/evaluate/window/redis-store.js";
import type { WindowHit } from "../../../src/evaluate/window/types.js";
import { at, hit, windowStoreSuite } from "../../unit/evaluate/window-suite.js";
import { connect, deleteKeys, randomPrefix } from "./redis-helpers.js";

windowStoreSuite([
  {
    name: "redis",
    async make() {
      const redis = connect();
      const prefix = randomPrefix("window");
      const store = createRedisWindowStore(redis, prefix);
      return {
        store,
        async sizes(key) {
          const [ids, values, , samples] = windowKeys(prefix, key);
          const [i, v, s] = await Promise.all([redis.zcard(ids), redis.zcard(values), redis.llen(samples)]);
          return { ids: i, values: v, samples: s };
        },
        async close() {
          await deleteKeys(redis, `${prefix}:*`);
          await redis.quit();
        },
      };
    },
  },
]);

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

describe("redis window store", () => {
  const opened: Redis[] = [];
  let prefix = "";
  const open = (n: number) => {
    const conns = Array.from({ length: n }, () => connect());
    opened.push(...conns);
    return conns;
  };

  afterEach(async () => {
    if (opened[0]) await deleteKeys(opened[0], `${prefix}:*`);
    await Promise.all(opened.splice(0).map((r) => r.quit()));
  });

  it("puts every key of a window under one hash tag and a TTL, even for awkward keys", async () => {
    const [redis] = open(1);
    prefix = randomPrefix("ttl");
    const store = createRedisWindowStore(redis!, prefix);
    const key = "rule:abc|{pn}%7B,x";
    await store.apply(
      Array.from({ length: 6 }, (_, i) => hit(`k${i}`, T0 + i, { key })),
      at(T0 + 10),
    );
    const keys = windowKeys(prefix, key);
    const tags = keys.map((k) => /\{([^}]*)\}/.exec(k)?.[1]);
    expect(new Set(tags).size).toBe(1);
    expect(windowKeys(prefix, "rule:abc|%7Bpn}%7B,x")[0]).not.toBe(keys[0]);
    for (const k of [keys[0], keys[2], keys[3]]) {
      const ttl = await redis!.pttl(k!);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(10 * 60_000 + 30 * 60_000 + 10 * 60_000);
    }
  });

  /** stream is 30 groups of 12 events (each crosses once) and 10 groups of 5 (never), shuffled. */
  function stream(): WindowHit[] {
    const hits: WindowHit[] = [];
    for (let g = 0; g < 40; g++) {
      const n = g < 30 ? 12 : 5;
      for (let i = 0; i < n; i++) hits.push(hit(`g${g}-e${i}`, T0 + i * 1000, { key: `spam|pn${g}` }));
    }
    let seed = 42;
    for (let i = hits.length - 1; i > 0; i--) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const j = seed % (i + 1);
      [hits[i], hits[j]] = [hits[j]!, hits[i]!];
    }
    return hits;
  }

  it.each([2, 4])(
    "fires exactly once per crossing with %i workers applying the same stream with redeliveries",
    async (n) => {
      const conns = open(n);
      prefix = randomPrefix(`race${n}`);
      const stores = conns.map((c) => createRedisWindowStore(c, prefix));
      // Every hit goes to two different workers, as a redelivery after a stalled job would.
      const share: WindowHit[][] = stores.map(() => []);
      stream().forEach((h, i) => {
        share[i % n]!.push(h);
        share[(i + 1) % n]!.push(h);
      });
      const chunk = 17;
      const outcomes = await Promise.all(
        share.map(async (hits, w) => {
          const all = [];
          for (let i = 0; i < hits.length; i += chunk) {
            all.push(...(await stores[w]!.apply(hits.slice(i, i + chunk), at(T0 + 20_000))));
          }
          return all.map((o, i) => ({ o, key: hits[i]!.key }));
        }),
      );
      const fired = outcomes.flat().filter((x) => x.o.kind === "fired");
      expect(fired).toHaveLength(30);
      expect(new Set(fired.map((x) => x.key)).size).toBe(30);
      expect(fired.every((x) => x.o.kind === "fired" && x.o.firing.count === 6)).toBe(true);
    },
  );
});
