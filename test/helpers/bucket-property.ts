// Runs a generated bucket stream through the reference model and a store under test, comparing everything.
import { expect } from "vitest";
import type { BucketView } from "../../src/evaluate/inspect.js";
import type { BucketStore } from "../../src/evaluate/window/types.js";
import { ReferenceBuckets } from "./bucket-reference.js";
import { type BucketBatch, type BucketRule, GROUPS } from "./bucket-streams.js";

/** BucketStoreUnderTest is a bucket store with a read-only view (both stores have one). */
export type BucketStoreUnderTest = BucketStore & BucketView;

/** matchesBucketReference requires identical outcomes (counts, lines, first/last seen, samples, firings) and views. */
export async function matchesBucketReference(
  store: BucketStoreUnderTest,
  stream: { rules: readonly BucketRule[]; batches: readonly BucketBatch[] },
): Promise<void> {
  const reference = new ReferenceBuckets();
  for (const [i, batch] of stream.batches.entries()) {
    const expected = reference.apply(batch.hits, batch.clock);
    const actual = await store.applyBuckets(batch.hits, batch.clock);
    expect(actual, `outcomes of batch ${i}`).toEqual(expected);
    for (const r of stream.rules) {
      for (const key of GROUPS.map((g) => `${r.key}|${g}`)) {
        for (const later of [0, r.windowMs / 2, r.windowMs * 2]) {
          const at = batch.clock.nowMs + later;
          const want = reference.view(key, r.line, r.windowMs, r.resolutionMs, at);
          const got = await store.view(key, r.line, r.windowMs, r.resolutionMs, at);
          expect(got, `view of ${key} ${later} ms after batch ${i}`).toEqual(want);
        }
      }
    }
  }
}
