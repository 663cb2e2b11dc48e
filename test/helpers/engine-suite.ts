// One in-process engine per test on a clock the test moves, with an email outbox and a webhook receiver.
import { afterEach, beforeEach } from "vitest";
import type { App, AppMode } from "../../src/app.js";
import type { StatusSpec } from "./drive.js";
import { type EngineDir, makeEngineDir, quiesce, startInProcess } from "./engine.js";
import { type HttpReceiver, startHttpReceiver } from "./http-receiver.js";

/** EngineSuite is what each test of a suite gets: its engine dir, receiver, clock and a way to start apps. */
export interface EngineSuite {
  dir: EngineDir;
  receiver: HttpReceiver;
  /** The engine's clock, unix ms: every app started here reads it, and tests move it. */
  clock: number;
  /** start builds an app (closed after the test); workers resolve and sweep every 50 ms. */
  start(mode?: AppMode): Promise<App>;
  /** stop closes one app early (a worker restart). */
  stop(app: App): Promise<void>;
  /**
   * settle runs one resolver and one absence pass at the clock in every worker-side app, then waits until
   * the queues are drained: after it, whatever the engine would do at this clock has been done.
   */
  settle(): Promise<void>;
  /** statuses are `n` statuses of `spec` at the clock, each to another recipient. */
  statuses(n: number, spec: Omit<StatusSpec, "time">): StatusSpec[];
}

/**
 * useEngineSuite registers beforeEach/afterEach: a fresh engine dir with `rules`, channel `hook` posting to
 * the receiver, and the clock at `startOffsetMs` from now.
 */
export function useEngineSuite(rules: string, startOffsetMs = 0): EngineSuite {
  const apps: App[] = [];
  const suite = {
    clock: 0,
    async start(mode: AppMode = "start") {
      const app = await startInProcess(suite.dir, mode, {
        now: () => suite.clock,
        resolveIntervalMs: 50,
        sweepIntervalMs: 50,
      });
      apps.push(app);
      return app;
    },
    async stop(app: App) {
      apps.splice(apps.indexOf(app), 1);
      await app.close();
    },
    async settle() {
      for (const app of apps) {
        await app.resolveNow?.();
        await app.sweepNow?.();
      }
      await quiesce(suite.dir.prefix);
    },
    statuses(n: number, spec: Omit<StatusSpec, "time">): StatusSpec[] {
      const time = Math.floor(suite.clock / 1000);
      return Array.from({ length: n }, (_, i) => ({ ...spec, time, recipient: `1555000${i}` }));
    },
  } as EngineSuite;
  beforeEach(async () => {
    suite.receiver = await startHttpReceiver();
    suite.dir = await makeEngineDir({ rules, channels: `  hook: { type: webhook, url: "${suite.receiver.url}" }` });
    suite.clock = Date.now() + startOffsetMs;
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await suite.receiver.close();
    await suite.dir.remove();
  });
  return suite;
}
