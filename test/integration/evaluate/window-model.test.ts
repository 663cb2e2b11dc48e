// The Redis store (the Lua script) against the naive reference window, on random streams.
import fc from "fast-check";
import { afterAll, describe, it } from "vitest";
import { createRedisWindowStore } from "../../../src/evaluate/window/redis-store.js";
import { matchesReference } from "../../helpers/window-property.js";
import { PROPERTY_RUNS, windowStreams } from "../../helpers/window-streams.js";
import { connect, deleteKeys, randomPrefix } from "./redis-helpers.js";

describe("redis window store vs the reference model", () => {
  const redis = connect();
  const base = randomPrefix("model");
  afterAll(async () => {
    await deleteKeys(redis, `${base}:*`);
    await redis.quit();
  });

  it("gives the same outcomes, counts, first/last seen, samples and states on random streams", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(windowStreams, async (stream) => {
        run++;
        const prefix = `${base}:${run}`;
        try {
          await matchesReference(createRedisWindowStore(redis, prefix), stream);
        } finally {
          await deleteKeys(redis, `${prefix}:*`);
        }
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
