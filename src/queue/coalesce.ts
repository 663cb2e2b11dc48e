// Group commit for the events queue: batches that arrive while a write is in flight share the next job.
import type { Event, EventBatch } from "../model/event.js";

/** MAX_EVENTS_PER_JOB caps how many events coalesced requests put in one job (a larger request goes alone). */
export const MAX_EVENTS_PER_JOB = 2000;

/** Coalescer hands batches to `write`, merging those that wait behind an in-flight write. */
export interface Coalescer {
  /**
   * submit resolves once the batch is part of a job that was written, and rejects with the write's error.
   * Cancelling (`cancel.cancelled = true`) before the batch's group is written leaves it out of the job.
   */
  submit(batch: EventBatch, cancel?: Cancel): Promise<void>;
}

/** Cancel is a flag the submitter sets when it gave up waiting (cheaper per request than an AbortSignal). */
export interface Cancel {
  cancelled: boolean;
}

interface Waiter {
  readonly batch: EventBatch;
  readonly cancel: Cancel | undefined;
  resolve(): void;
  reject(err: unknown): void;
}

interface Group {
  readonly waiters: Waiter[];
  events: number;
}

/**
 * mergeBatches joins batches into one: the earliest `received_at` (alert latency is measured from it) and
 * every event once (a redelivery racing its original is counted once anyway, but need not be shipped twice).
 * A single batch is returned as it is, so its job id stays the one a lone request always gets.
 */
export function mergeBatches(batches: readonly EventBatch[]): EventBatch {
  if (batches.length === 1 && batches[0]) return batches[0];
  const seen = new Set<string>();
  const events: Event[] = [];
  let receivedAt = Number.POSITIVE_INFINITY;
  for (const b of batches) {
    receivedAt = Math.min(receivedAt, b.received_at);
    for (const e of b.events) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      events.push(e);
    }
  }
  return { received_at: receivedAt, events };
}

/**
 * Linger makes a request that finds the writer idle wait `ms` for company, but only while traffic
 * flows (a write ended within `busyMs`): at a steady 2,000 req/s a job then carries several requests
 * instead of one or two, which halves the per-job queue work of serve, worker and Redis, for `ms` of
 * extra latency. A request after a quiet spell is written at once.
 */
export interface Linger {
  readonly ms: number;
  readonly busyMs: number;
  readonly now: () => number;
}

/** NO_LINGER writes every request that finds the writer idle at once. */
export const NO_LINGER: Linger = Object.freeze({ ms: 0, busyMs: 0, now: () => performance.now() });

/**
 * createCoalescer writes at most `maxInFlight` jobs at once. A lone request is written at once, as
 * before; under load, everything that arrives during a write becomes the next job, so jobs per second
 * stay near (round trips per second) while events per job grow with the load.
 */
export function createCoalescer(
  write: (batch: EventBatch) => Promise<void>,
  maxInFlight = 1,
  maxEvents = MAX_EVENTS_PER_JOB,
  linger: Linger = NO_LINGER,
): Coalescer {
  const groups: Group[] = [];
  let inFlight = 0;
  let lastWriteEnd = Number.NEGATIVE_INFINITY;
  let lingering: NodeJS.Timeout | undefined;

  /** shouldLinger: idle writer, but a write ended moments ago (traffic is flowing) and the group has room. */
  function shouldLinger(): boolean {
    if (linger.ms <= 0 || inFlight > 0 || groups.length !== 1) return false;
    const group = groups[0] as Group;
    return group.events < maxEvents && linger.now() - lastWriteEnd < linger.busyMs;
  }

  function flush(): void {
    if (lingering) return;
    if (shouldLinger()) {
      lingering = setTimeout(() => {
        lingering = undefined;
        drain();
      }, linger.ms);
      return;
    }
    drain();
  }

  function drain(): void {
    while (inFlight < maxInFlight && groups.length > 0) {
      const group = groups.shift() as Group;
      const live = group.waiters.filter((w) => !w.cancel?.cancelled);
      if (live.length === 0) continue;
      inFlight++;
      write(mergeBatches(live.map((w) => w.batch)))
        .then(
          () => {
            for (const w of live) w.resolve();
          },
          (err: unknown) => {
            for (const w of live) w.reject(err);
          },
        )
        .finally(() => {
          inFlight--;
          lastWriteEnd = linger.now();
          // What queued up during the write has waited a round trip already: written at once.
          drain();
        });
    }
  }

  return {
    submit(batch, cancel) {
      return new Promise<void>((resolve, reject) => {
        const n = batch.events.length;
        let group = groups[groups.length - 1];
        if (!group || (group.events > 0 && group.events + n > maxEvents)) {
          group = { waiters: [], events: 0 };
          groups.push(group);
        }
        group.waiters.push({ batch, cancel, resolve, reject });
        group.events += n;
        flush();
      });
    },
  };
}
