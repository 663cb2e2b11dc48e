// The Redis store (the Lua script) against the naive reference window, on random streams.
import { describe, it } from "vitest";
import { createRedisWindowStore } from "../../../src/evaluate/window/redis-store.js";
import { matchesReference } from "../../helpers/window-property.js";
import { windowStreams } from "../../helpers/window-streams.js";
import { PROPERTY_RUNS } from "../../helpers/window-streams.js";
import { useRedisProperty } from "./redis-helpers.js";

describe("redis window store vs the reference model", () => {
  const check = useRedisProperty("model");

  it("gives the same outcomes, counts, first/last seen, samples and states on random streams", async () => {
    await check(windowStreams, (redis, prefix, stream) => matchesReference(createRedisWindowStore(redis, prefix), stream), PROPERTY_RUNS);
  });
});
