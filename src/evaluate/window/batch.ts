// Splits a batch of window hits by window, keeping arrival order inside each, for one store call per window.
import type { WindowHit } from "./types.js";

/** groupByWindow lists, per window key in first-seen order, the indexes (among `indexes`) of its hits. */
export function groupByWindow(hits: readonly WindowHit[], indexes: readonly number[]): number[][] {
  const byKey = new Map<string, number[]>();
  for (const i of indexes) {
    const key = (hits[i] as WindowHit).key;
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  }
  return [...byKey.values()];
}
