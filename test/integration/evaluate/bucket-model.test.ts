// The Redis bucket store (the Lua script) against the naive reference model, on random streams.
import { describe, it } from "vitest";
import { createRedisBucketStore } from "../../../src/evaluate/window/bucket-redis.js";
import { matchesBucketReference } from "../../helpers/bucket-property.js";
import { bucketStreams } from "../../helpers/bucket-streams.js";
import { PROPERTY_RUNS } from "../../helpers/window-streams.js";
import { useRedisProperty } from "./redis-helpers.js";

describe("redis bucket store vs the reference model", () => {
  const check = useRedisProperty("buckets");

  it("gives the same outcomes, ratios, baselines, first/last seen, samples and views on random streams", async () => {
    await check(bucketStreams, (redis, prefix, stream) => matchesBucketReference(createRedisBucketStore(redis, prefix), stream), PROPERTY_RUNS);
  });
});
