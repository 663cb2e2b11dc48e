// The memory absence store against the naive reference model, on random streams of arrivals and sweeps.
import fc from "fast-check";
import { describe, it } from "vitest";
import { createMemoryAbsenceStore } from "../../../src/evaluate/absence/memory-store.js";
import { absenceStreams, matchesAbsenceReference } from "../../helpers/absence-property.js";
import { PROPERTY_RUNS } from "../../helpers/window-streams.js";

describe("memory absence store vs the reference model", () => {
  it("watches, claims, re-claims after a crash, fires and reads returns like the model", async () => {
    await fc.assert(
      fc.asyncProperty(absenceStreams, (stream) =>
        matchesAbsenceReference(createMemoryAbsenceStore(), stream),
      ),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });
});
