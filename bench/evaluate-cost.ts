// In-process per-event evaluation cost for a rule set (rules index + match + memory windows), no I/O.
import { performance } from "node:perf_hooks";
import { createCatalog } from "../src/catalog/index.js";
import { createEvaluator } from "../src/evaluate/evaluator.js";
import { createMemoryWindowStore } from "../src/evaluate/window/memory-store.js";
import type { EventBatch } from "../src/model/event.js";
import { normalizeWhatsApp } from "../src/ingest/normalize.js";
import { loadRules } from "../src/rules/load.js";
import { generateBodies } from "./payloads.js";

/** mixedBatches normalizes `n` generated 100-status bodies (95 % delivered) into event batches. */
export function mixedBatches(run: string, n: number): EventBatch[] {
  const now = Date.now();
  return generateBodies({ run, bodies: n, statusesPerBody: 100, mix: "mixed", secret: "x" }).map((b) => {
    const r = normalizeWhatsApp(JSON.parse(b.body.toString("utf8")), {
      receivedAtMs: now,
      bodyHash: () => run,
    });
    if (!r.ok) throw new Error(r.reason);
    return { received_at: now, events: r.events };
  });
}

/** evaluateMicrosPerEvent runs `batches` through the rules in `rulesDir` and returns µs per event (best of `rounds`). */
export async function evaluateMicrosPerEvent(
  rulesDir: string,
  batches: readonly EventBatch[],
  rounds: number,
): Promise<number> {
  const loaded = await loadRules([rulesDir], {
    baseDir: rulesDir,
    channels: ["ops", "hook"],
    defaults: { notify: ["ops"], cooldown: "15m", severity: "warning" },
  });
  if (!loaded.ok) throw new Error(`rules in ${rulesDir} did not load: ${loaded.problems[0]?.message}`);
  const set = loaded.set;
  const catalog = createCatalog();
  const events = batches.reduce((n, b) => n + b.events.length, 0);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    // A fresh window store per round, so every round counts the same hits instead of duplicates.
    const evaluator = createEvaluator({
      rules: () => set,
      catalog,
      windows: createMemoryWindowStore(),
      maxSamples: 5,
      maskPhoneNumbers: true,
    });
    const start = performance.now();
    for (const b of batches) await evaluator.evaluate(b, Date.now());
    best = Math.min(best, ((performance.now() - start) * 1000) / events);
  }
  return best;
}
