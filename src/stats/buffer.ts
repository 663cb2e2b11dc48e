// Activity counters gathered in the worker and written once a second: a batch never waits on them, and
// Redis sees one script call per second per process instead of one per batch.
import type { Evaluation } from "../evaluate/evaluator.js";
import type { Event } from "../model/event.js";
import type { Logger } from "../shared/logger.js";
import { startLoop } from "../shared/loop.js";
import { bucketStart, MINUTE } from "./layout.js";
import { type StatsRecorder, type Tally, tally } from "./recorder.js";

/** STATS_FLUSH_MS is how often, by default, a worker writes what it counted. */
export const STATS_FLUSH_MS = 1000;

/** MAX_PENDING_MINUTES bounds what waits for Redis while it is away: older minutes are dropped first. */
const MAX_PENDING_MINUTES = 15;

/** StatsBuffer counts batches in memory and writes them in the background. */
export interface StatsBuffer {
  /** add counts a batch into the minute of `nowMs` (synchronous, no I/O). */
  add(events: readonly Event[], evaluation: Pick<Evaluation, "ruleCounts">, nowMs: number): void;
  /** flush writes everything counted so far. */
  flush(): Promise<void>;
  /** close stops the timer and writes what is left. */
  close(): Promise<void>;
}

/** mergeInto adds `from`'s counts to `into`. */
export function mergeInto(into: Tally, from: Tally): void {
  for (const [dim, values] of from) {
    let counts = into.get(dim);
    if (!counts) {
      counts = new Map();
      into.set(dim, counts);
    }
    for (const [field, n] of values) counts.set(field, (counts.get(field) ?? 0) + n);
  }
}

/**
 * startStatsBuffer gathers counts per minute and writes them every `flushMs`. A write that fails keeps its
 * counts for the next flush (up to MAX_PENDING_MINUTES minutes; then the oldest are dropped and logged),
 * so a Redis blip loses nothing and a long outage cannot grow the heap. A process that dies loses at most
 * the last `flushMs` of counts: activity charts, never alerts, depend on them.
 */
export function startStatsBuffer(
  recorder: StatsRecorder,
  opts: { readonly log: Logger; readonly flushMs?: number },
): StatsBuffer {
  /** pending counts per minute, keyed by the minute's start in ms. */
  let pending = new Map<number, Tally>();
  let writing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    await writing;
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    writing = (async () => {
      for (const [minute, counts] of batch) {
        try {
          await recorder.write(counts, minute);
        } catch (err) {
          const kept = pending.get(minute);
          if (kept) mergeInto(counts, kept);
          pending.set(minute, counts);
          opts.log.warn(
            { err: (err as Error).message },
            "could not write activity counters; kept for the next try",
          );
        }
      }
      while (pending.size > MAX_PENDING_MINUTES) {
        const oldest = Math.min(...pending.keys());
        pending.delete(oldest);
        opts.log.warn(
          { minute: new Date(oldest).toISOString() },
          "activity counters of a minute dropped: Redis away too long",
        );
      }
    })();
    await writing;
  };
  const loop = startLoop(flush, opts.flushMs ?? STATS_FLUSH_MS, (err) =>
    opts.log.warn({ err: err.message }, "activity counters flush failed"),
  );
  return {
    add(events, evaluation, nowMs) {
      const counts = tally(events, evaluation);
      if (counts.size === 0) return;
      const minute = bucketStart(MINUTE, nowMs) * 1000; // the minute's start in ms, as write expects
      const into = pending.get(minute);
      if (into) mergeInto(into, counts);
      else pending.set(minute, counts);
    },
    flush,
    async close() {
      await loop.close();
      await flush();
    },
  };
}
