// The activity counters on real Redis: bounded buckets, expiry, one hash tag, and a read of what was written.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Event } from "../../../src/model/event.js";
import { createStatsReader, createStatsRecorder } from "../../../src/stats/index.js";
import { HOUR, MAX_VALUES_PER_BUCKET, MINUTE, OTHER } from "../../../src/stats/layout.js";
import { connect, deleteKeys, randomPrefix } from "../evaluate/redis-helpers.js";

const T0 = Date.parse("2026-01-31T14:00:00Z");

function errorEvent(i: number, phone: string, code = 131048): Event {
  return {
    id: `e${i}`,
    source: "whatsapp",
    kind: "status_error",
    timestamp: T0 / 1000,
    code,
    phone_number_id: phone,
  };
}

describe("stats recorder", () => {
  const redis = connect();
  let prefix = "";

  afterEach(async () => {
    await deleteKeys(redis, `{${prefix}}:*`);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it("keeps at most MAX_VALUES_PER_BUCKET values per bucket and folds the rest into (other)", async () => {
    prefix = randomPrefix("stats");
    const recorder = createStatsRecorder(redis, prefix);
    const events = Array.from({ length: 150 }, (_, i) => errorEvent(i, `phone-${i}`));
    await recorder.record(events, { ruleCounts: new Map([["r1", { evaluated: 150, matched: 7 }]]) }, T0);
    // A value already kept still counts as itself once the bucket is full.
    await recorder.record([errorEvent(1000, "phone-0")], { ruleCounts: new Map() }, T0 + 1000);

    const reader = createStatsReader(redis, prefix);
    const body = await reader.read({
      fromMs: T0,
      toMs: T0 + 60_000,
      stepSec: 60,
      dim: "phone_number_id:errors",
    });
    expect(body.series).toHaveLength(MAX_VALUES_PER_BUCKET + 1);
    expect(body.series.find((s) => s.key === OTHER)?.total).toBe(150 - MAX_VALUES_PER_BUCKET);
    expect(body.series.find((s) => s.key === "phone-0")?.total).toBe(2);
    expect(body.series.reduce((a, s) => a + s.total, 0)).toBe(151);
    const rules = await reader.read({ fromMs: T0, toMs: T0 + 3_600_000, stepSec: 3600, dim: "rule:matches" });
    expect(rules.series).toEqual([{ key: "r1", total: 7, points: [["2026-01-31T14:00:00.000Z", 7]] }]);
  });

  it("writes every key under the {prefix} hash tag with the resolution's time to live", async () => {
    prefix = randomPrefix("stats");
    await createStatsRecorder(redis, prefix).record([errorEvent(1, "111")], { ruleCounts: new Map() }, T0);
    const keys = await redis.keys(`*${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      // Redis Cluster hashes only the first {…}: every key of the script call shares one slot.
      expect(key.startsWith(`{${prefix}}:stats:`), key).toBe(true);
      const ttl = await redis.pttl(key);
      const keep = key.includes(":stats:m:") ? MINUTE.keepMs : HOUR.keepMs;
      expect(ttl, key).toBeGreaterThan(keep - 60_000);
      expect(ttl, key).toBeLessThanOrEqual(keep);
    }
  });
});
