// The memory bucket store (ratio, spike) against the naive reference model, on random streams.
import fc from "fast-check";
import { describe, it } from "vitest";
import { createMemoryBucketStore } from "../../../src/evaluate/window/bucket-memory.js";
import { matchesBucketReference } from "../../helpers/bucket-property.js";
import { bucketStreams } from "../../helpers/bucket-streams.js";
import { PROPERTY_RUNS } from "../../helpers/window-streams.js";

describe("memory bucket store vs the reference model", () => {
  it("gives the same outcomes, ratios, baselines, first/last seen, samples and views on random streams", async () => {
    await fc.assert(
      fc.asyncProperty(bucketStreams, (stream) => matchesBucketReference(createMemoryBucketStore(), stream)),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });
});
