// The Redis bucket store's keys: one hash tag per rule, lifetimes bounded by the rule, ids kept per bucket.
import { afterAll, describe, expect, it } from "vitest";
import { bucketKeys, createRedisBucketStore } from "../../../src/evaluate/window/bucket-redis.js";
import { idDigest, SEEN_MARGIN_MS } from "../../../src/evaluate/window/buckets.js";
import type { BucketHit } from "../../../src/evaluate/window/types.js";
import { connect, deleteKeys, randomPrefix } from "./redis-helpers.js";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 9, 0, 30);
const WINDOW = 60 * MIN;
// within + cooldown + resolve_after
const TTL = WINDOW + 30 * MIN + 10 * MIN;

function hit(id: string, timeMs: number, counts = false): BucketHit {
  return {
    ruleKey: "share@abc",
    key: "share@abc|106540352242922",
    eventId: id,
    eventTimeMs: timeMs,
    windowMs: WINDOW,
    resolutionMs: MIN,
    line: { kind: "ratio", moreThan: 0.05, minOf: 200 },
    counts,
    ofCounts: true,
    cooldownMs: 30 * MIN,
    resolveAfterMs: 10 * MIN,
    sample: counts ? JSON.stringify({ event_id: id }) : "",
    maxSamples: 5,
  };
}

describe("redis bucket store keys", () => {
  const redis = connect();
  const prefix = randomPrefix("bucket-keys");
  afterAll(async () => {
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
  });

  it("puts every key of a rule under its hash tag, keeps ids until their bucket leaves the window, and renews lifetimes lazily", async () => {
    const store = createRedisBucketStore(redis, prefix);
    const keys = bucketKeys(prefix, "share@abc", "share@abc|106540352242922");
    const clock = (nowMs: number) => ({ nowMs, futureLimitMs: nowMs + 5 * MIN });
    await store.applyBuckets([hit("a".repeat(32), T0), hit("e1", T0, true)], clock(T0));
    for (const k of [keys.hash, keys.samples, keys.seen(Math.floor(T0 / MIN))]) expect(k).toContain("{share@abc}");

    const hashTtl = await redis.pttl(keys.hash);
    expect(hashTtl).toBeGreaterThan(TTL);
    expect(hashTtl).toBeLessThanOrEqual(TTL + TTL / 4);
    const bucket = Math.floor(T0 / MIN);
    const seenTtl = await redis.pttl(keys.seen(bucket));
    const leaves = (bucket + 60) * MIN - T0 + SEEN_MARGIN_MS;
    expect(seenTtl).toBeGreaterThan(leaves - 5000);
    expect(seenTtl).toBeLessThanOrEqual(leaves);
    // Ids are kept as 11-character digests, not whole ids.
    expect((await redis.smembers(keys.seen(bucket))).sort()).toEqual([idDigest("a".repeat(32)), idDigest("e1")].sort());

    // A minute later the lifetime is not renewed (no PEXPIRE on every batch) ...
    await store.applyBuckets([hit("e2", T0 + MIN)], clock(T0 + MIN));
    expect(await redis.pttl(keys.hash)).toBeLessThanOrEqual(hashTtl);
    // ... once a quarter of it has passed, it is.
    const later = T0 + TTL / 4 + MIN;
    await store.applyBuckets([hit("e3", later)], clock(later));
    expect(await redis.pttl(keys.hash)).toBeGreaterThan(TTL);
    // The same event again, even after the restart of every worker, is a duplicate.
    expect(await createRedisBucketStore(redis, prefix).applyBuckets([hit("e3", later)], clock(later))).toEqual([
      { kind: "duplicate" },
    ]);
  });
});
