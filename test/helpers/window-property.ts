// Runs a generated stream through the reference model and a store under test, batch by batch, comparing all.
import { expect } from "vitest";
import type { WindowInspector, WindowStore } from "../../src/evaluate/window/types.js";
import { ReferenceWindows } from "./window-reference.js";
import type { StreamBatch, WindowRule } from "./window-streams.js";

/** matchesReference requires identical outcomes (counts, first/last seen, samples, firings) and window states. */
export async function matchesReference(
  store: WindowStore & WindowInspector,
  stream: { rules: readonly WindowRule[]; batches: readonly StreamBatch[] },
): Promise<void> {
  const reference = new ReferenceWindows();
  for (const [i, batch] of stream.batches.entries()) {
    const expected = reference.apply(batch.hits, batch.clock);
    const actual = await store.apply(batch.hits, batch.clock);
    expect(actual, `outcomes of batch ${i}`).toEqual(expected);
    for (const rule of stream.rules) {
      const probe = {
        kind: "count" as const,
        key: rule.key,
        windowMs: rule.windowMs,
        moreThan: rule.windowMs === 0 ? 0 : rule.moreThan,
        distinct: rule.distinct && rule.windowMs > 0,
      };
      const want = reference.inspect(probe, batch.clock.nowMs);
      expect(await store.inspect(probe, batch.clock.nowMs), `state of ${rule.key} after batch ${i}`).toEqual(
        want,
      );
    }
  }
}
