// A loop that runs one tick at a time every `intervalMs` until closed (the resolver and the absence sweeper).
import type { Logger } from "./logger.js";

/** Ticker is a running loop. */
export interface Ticker {
  /** close stops the loop after the tick in progress. */
  close(): Promise<void>;
}

/**
 * startTicker runs `tick` every `intervalMs`, never two at once; a tick that throws is logged as `what`
 * and the loop goes on. The timer does not keep the process alive.
 */
export function startTicker(
  intervalMs: number,
  tick: () => Promise<unknown>,
  log: Logger,
  what: string,
): Ticker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let closed = false;
  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((err: Error) => log.warn({ err: err.message }, `${what} failed`))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }
  schedule();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
