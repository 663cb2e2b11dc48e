// Reads the Redis round-trip counters the preloaded redis-counter.cjs writes for each engine process.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Counts are one process's totals since it started. */
export interface Counts {
  roundTrips: number;
  commands: number;
  pipelines: number;
  jobsAdded: number;
}

/** LoopDelay is [unix ms, p99 ms, max ms] of the event loop's delay over one half second. */
export type LoopDelay = [number, number, number];

const ZERO: Counts = { roundTrips: 0, commands: 0, pipelines: 0, jobsAdded: 0 };

/** loopDelayP99 is the largest half-second p99 event-loop delay of `pid` between `from` and `to` (ms). */
export function loopDelayP99(dir: string, pid: number, from: number, to: number): number {
  try {
    const raw = JSON.parse(readFileSync(join(dir, `${pid}.json`), "utf8")) as { loopDelay?: LoopDelay[] };
    return (raw.loopDelay ?? []).filter(([t]) => t >= from && t <= to).reduce((m, [, p99]) => Math.max(m, p99), 0);
  } catch {
    return 0;
  }
}

/** readCounts reads the latest totals of `pid` (zeros when none were written yet). */
export function readCounts(dir: string, pid: number): Counts {
  try {
    const raw = JSON.parse(readFileSync(join(dir, `${pid}.json`), "utf8")) as Partial<Counts>;
    return {
      roundTrips: raw.roundTrips ?? 0,
      commands: raw.commands ?? 0,
      pipelines: raw.pipelines ?? 0,
      jobsAdded: raw.jobsAdded ?? 0,
    };
  } catch {
    return { ...ZERO };
  }
}

/** diffCounts is `after - before`, field by field. */
export function diffCounts(after: Counts, before: Counts): Counts {
  return {
    roundTrips: after.roundTrips - before.roundTrips,
    commands: after.commands - before.commands,
    pipelines: after.pipelines - before.pipelines,
    jobsAdded: after.jobsAdded - before.jobsAdded,
  };
}

/** settle waits for the counters' next write (they are flushed every 500 ms). */
export function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 600));
}

/** peakMemory is `process.memoryUsage()` (MB) of `pid` at its largest RSS so far, or undefined. */
export function peakMemory(dir: string, pid: number): { rss: number; heapUsed: number; heapTotal: number } | undefined {
  try {
    const raw = JSON.parse(readFileSync(join(dir, `${pid}.json`), "utf8")) as {
      memory?: { rss: number; heapUsed: number; heapTotal: number };
    };
    if (!raw.memory) return undefined;
    const mb = (n: number) => Math.round(n / 1048576);
    return { rss: mb(raw.memory.rss), heapUsed: mb(raw.memory.heapUsed), heapTotal: mb(raw.memory.heapTotal) };
  } catch {
    return undefined;
  }
}
