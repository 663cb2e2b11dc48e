// A periodic background task (resolver, digests): one tick at a time, each after the previous one ends.

/** Loop is a running periodic task. */
export interface Loop {
  /** close stops the loop and waits for the tick in progress. */
  close(): Promise<void>;
}

/**
 * startLoop runs `tick` every `intervalMs`, counted from the end of the previous tick, until closed. A
 * tick that fails is reported to `onError` and the loop goes on; the timer never keeps a process alive.
 */
export function startLoop(
  tick: () => Promise<unknown>,
  intervalMs: number,
  onError: (err: Error) => void,
): Loop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let closed = false;
  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((err: Error) => onError(err))
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
