// The memory store against the naive reference window, on random streams (WINDOW_PROPERTY_RUNS for more).
import fc from "fast-check";
import { describe, it } from "vitest";
import { createMemoryWindowStore } from "../../../src/evaluate/window/memory-store.js";
import { matchesReference } from "../../helpers/window-property.js";
import { PROPERTY_RUNS, windowStreams } from "../../helpers/window-streams.js";

describe("memory window store vs the reference model", () => {
  it("gives the same outcomes, counts, first/last seen, samples and states on random streams", async () => {
    await fc.assert(
      fc.asyncProperty(windowStreams, (stream) => matchesReference(createMemoryWindowStore(), stream)),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });
});
