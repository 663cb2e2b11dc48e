// The events queue's backlog as BullMQ sees it: waiting/active counts, sampling, and waiting for a drain.
import { Queue } from "bullmq";

/** Backlog reads the events queue of one engine prefix. */
export interface Backlog {
  counts(): Promise<{ waiting: number; active: number }>;
  workers(): Promise<number>;
  close(): Promise<void>;
}

/** openBacklog connects to the events queue under `prefix` (the engine wraps it in a hash tag). */
export function openBacklog(redisUrl: string, prefix: string): Backlog {
  const u = new URL(redisUrl);
  const queue = new Queue("events", {
    connection: { host: u.hostname, port: Number(u.port || 6379) },
    prefix: `{${prefix}}`,
  });
  return {
    async counts() {
      const c = await queue.getJobCounts("waiting", "active", "prioritized", "delayed");
      return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0), active: c.active ?? 0 };
    },
    async workers() {
      return (await queue.getWorkers()).length;
    },
    close: () => queue.close(),
  };
}

/** waitForWorkers resolves once `n` workers consume the queue, or rejects after `timeoutMs`. */
export async function waitForWorkers(b: Backlog, n: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await b.workers()) < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} events workers, none connected in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** drain waits until nothing is waiting or active and returns how long that took (capped at `maxMs`). */
export async function drain(b: Backlog, maxMs: number): Promise<{ ms: number; drained: boolean }> {
  const start = Date.now();
  while (Date.now() - start < maxMs) {
    const c = await b.counts();
    if (c.waiting === 0 && c.active === 0) return { ms: Date.now() - start, drained: true };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ms: maxMs, drained: false };
}

/** BacklogSampler records the waiting count over time while a step runs. */
export interface BacklogSampler {
  stop(): Promise<Array<{ t: number; waiting: number }>>;
}

/** sampleBacklog polls waiting counts every `everyMs` until stopped. */
export function sampleBacklog(b: Backlog, everyMs = 250): BacklogSampler {
  const samples: Array<{ t: number; waiting: number }> = [];
  const start = Date.now();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const c = await b.counts().catch(() => undefined);
      if (c) samples.push({ t: Date.now() - start, waiting: c.waiting });
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return samples;
    },
  };
}
