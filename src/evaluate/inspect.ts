// One read-only view over every kind of window, for the resolver: count, bucket (ratio, spike) and absence.
import type { AbsenceStore } from "./absence/types.js";
import type { CountInspector } from "./window/limits.js";
import type { BucketLine, WindowInspector, WindowState } from "./window/types.js";

/** BucketView reads a ratio or spike window without counting anything. */
export interface BucketView {
  view(
    key: string,
    line: BucketLine,
    windowMs: number,
    resolutionMs: number,
    nowMs: number,
  ): WindowState | Promise<WindowState>;
}

/** combineInspectors routes each probe to the store that keeps its kind of window. */
export function combineInspectors(parts: {
  windows: CountInspector;
  buckets: BucketView;
  absences: Pick<AbsenceStore, "inspectAbsence">;
}): WindowInspector {
  return {
    async inspect(probe, nowMs) {
      switch (probe.kind) {
        case "count":
          return parts.windows.inspect(probe, nowMs);
        case "bucket":
          return parts.buckets.view(probe.key, probe.line, probe.windowMs, probe.resolutionMs, nowMs);
        case "absent":
          return parts.absences.inspectAbsence(probe, nowMs);
      }
    },
  };
}
