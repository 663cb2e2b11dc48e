// Splits a batch of window hits by window, keeping arrival order inside each, for one store call per window.
import type { WindowClock, WindowOutcome } from "./types.js";

/**
 * splitFuture gives every hit beyond the clock's future limit its `future` outcome (it is counted nowhere)
 * and lists the others, by index, for the store to count.
 */
export function splitFuture(
  hits: readonly { readonly eventTimeMs: number }[],
  clock: WindowClock,
): { outcomes: WindowOutcome[]; counted: number[] } {
  const outcomes: WindowOutcome[] = new Array(hits.length);
  const counted: number[] = [];
  hits.forEach((hit, i) => {
    if (hit.eventTimeMs > clock.futureLimitMs) outcomes[i] = { kind: "future" };
    else counted.push(i);
  });
  return { outcomes, counted };
}

/** groupByWindow lists, per window key in first-seen order, the indexes (among `indexes`) of its hits. */
export function groupByWindow(
  hits: readonly { readonly key: string }[],
  indexes: readonly number[],
): number[][] {
  const byKey = new Map<string, number[]>();
  for (const i of indexes) {
    const key = (hits[i] as { key: string }).key;
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  }
  return [...byKey.values()];
}
