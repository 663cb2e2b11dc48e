// No event time keeps state alive: every key the engine writes for a rule+group expires within its bound.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys } from "../../helpers/redis.js";
import { type LoggedApp, postStatuses, useEngine } from "./support.js";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** RULES gives each key family its own rule, each with its lifetime bound in a comment. */
const RULES = `rules:
  - id: count-rule            # window + cooldown + resolve_after = 10m + 1m + 2m (fires: now + 4 min ahead)
    description: count
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 1, within: 10m }
    cooldown: 1m
    resolve_after: 2m
    notify: []
  - id: distinct-rule         # 5m + 2m + 1m
    description: distinct
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 100, within: 5m, distinct: recipient_id }
    cooldown: 2m
    resolve_after: 1m
    notify: []
  - id: ratio-rule            # 10m + 1m + 1m
    description: ratio
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { within: 10m, ratio: { more_than: 0.99, of: { kind: [status, status_error] } }, min_of: 1000 }
    cooldown: 1m
    resolve_after: 1m
    notify: []
  - id: spike-rule            # 10m + baseline 1h + 1m + 1m
    description: spike
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { within: 10m, spike: { more_than: 100, baseline: 1h }, min: 1000 }
    cooldown: 1m
    resolve_after: 1m
    notify: []
  - id: absent-rule           # arrival clock: for + within + 7 days, whatever the event time
    description: absent
    when: { code: 131048 }
    group_by: [phone_number_id]
    absent: { for: 10m, after: 2, within: 1h }
    notify: []
  - id: every-match           # no threshold: ids remembered a day (or the cooldown, if longer)
    description: every match
    when: { code: 131026 }
    group_by: [phone_number_id]
    cooldown: 1h
    notify: []
`;

/**
 * BOUNDS are each rule's longest key lifetime. Ratio and spike windows renew their keys lazily (at most a
 * quarter past the lifetime, so a busy window is not re-expired on every batch): that slack comes from
 * when the window was written, never from event times.
 */
const BOUNDS: Record<string, number> = {
  "count-rule": 13 * MIN,
  "distinct-rule": 8 * MIN,
  "ratio-rule": 1.25 * 12 * MIN,
  "spike-rule": 1.25 * 72 * MIN,
  "absent-rule": 70 * MIN + 7 * DAY,
  "every-match": DAY,
};

describe("future-dated (and ancient) events against every key family", () => {
  const slot = useEngine();
  let engine: LoggedApp;
  let redis: Redis;
  const clock = Date.now();
  beforeAll(() => {
    redis = new Redis("redis://127.0.0.1:6379");
  });
  afterAll(() => redis.disconnect());

  it("no key lives longer than its rule's window + cooldown + resolve_after (+ baseline; absent: arrival clock)", async () => {
    engine = await slot.start({ rules: RULES }, "start", { now: () => clock });
    const sec = (ms: number) => String(Math.floor(ms / 1000));
    const times = {
      y2100: Date.UTC(2100, 0, 1),
      inSkew: clock + 4 * MIN,
      pastSkew: clock + 6 * MIN,
      ancient: Date.UTC(1971, 0, 1),
      now: clock,
    };
    const statuses = Object.entries(times).flatMap(([name, t], i) => [
      {
        id: `wamid.fut-${name}`,
        status: "failed",
        timestamp: sec(t),
        recipient_id: `1555000${i}`,
        errors: [{ code: 131048, title: "Spam", message: "Spam" }],
      },
      {
        id: `wamid.fut26-${name}`,
        status: "failed",
        timestamp: sec(t),
        recipient_id: `1556000${i}`,
        errors: [{ code: 131026, title: "Undeliverable", message: "Undeliverable" }],
      },
    ]);
    await postStatuses(engine.app, statuses);
    const prefix = slot.current().prefix;
    const stateKeys = async () => {
      const out: string[] = [];
      for (const family of ["window", "absent"]) {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:${family}:*`, "COUNT", 1000);
          cursor = next;
          out.push(...keys);
        } while (cursor !== "0");
      }
      return out;
    };
    // Wait for every rule to have written (the absent rule's arrival counters are the last family).
    const keys = await (async () => {
      for (let i = 0; i < 100; i++) {
        const found = await stateKeys();
        const rules = new Set(found.map((k) => Object.keys(BOUNDS).find((r) => k.includes(`{${r}@`))));
        if (rules.size === Object.keys(BOUNDS).length) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`not every rule wrote state: ${(await stateKeys()).join(", ")}`);
    })();

    const families = new Set<string>();
    for (const key of keys) {
      const rule = Object.keys(BOUNDS).find((r) => key.includes(`{${r}@`));
      expect(rule, key).toBeDefined();
      const ttl = await redis.pttl(key);
      expect(ttl, `${key} has no expiry`).toBeGreaterThan(0);
      expect(ttl, `${key} outlives ${rule}'s bound`).toBeLessThanOrEqual(BOUNDS[rule as string] as number);
      const shape = key
        .slice(key.indexOf("}") + 1)
        .replace(/g[0-9a-f]{32}/g, "G")
        .replace(/\d+$/, "N");
      families.add(`${rule}${shape}`);
    }
    // Each rule kind's keys were all seen: count/distinct windows, buckets and their seen-id sets, absence.
    // Every kind of key was there to check: count and distinct windows, buckets with their id sets (one of
    // them the bucket 4 minutes ahead), the absent rule's state, the no-threshold rule's ids.
    expect([...families].sort()).toEqual(
      expect.arrayContaining([
        "absent-rule:ctx",
        "absent-rule:watch",
        "count-rule:ids",
        "count-rule:samples",
        "count-rule:state",
        "distinct-rule:values",
        "every-match:ids",
        "ratio-rule:G:h",
        "ratio-rule:G:samples",
        "ratio-rule:G:seen:N",
        "spike-rule:G:h",
        "spike-rule:G:seen:N",
      ]),
    );
    await deleteKeys(redis, `${prefix}:window:*`);
  });
});
