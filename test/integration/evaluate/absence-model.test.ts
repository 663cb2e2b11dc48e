// The Redis absence store (its scripts) against the naive reference model, on random streams.
import { describe, it } from "vitest";
import { createRedisAbsenceStore } from "../../../src/evaluate/absence/redis-store.js";
import { absenceStreams, matchesAbsenceReference } from "../../helpers/absence-property.js";
import { PROPERTY_RUNS } from "../../helpers/window-streams.js";
import { useRedisProperty } from "./redis-helpers.js";

describe("redis absence store vs the reference model", () => {
  const check = useRedisProperty("absence");

  it("watches, claims, re-claims after a crash, fires and reads returns like the model", async () => {
    await check(absenceStreams, (redis, prefix, stream) => matchesAbsenceReference(createRedisAbsenceStore(redis, prefix), stream), PROPERTY_RUNS);
  });
});
