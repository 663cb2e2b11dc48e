// The fault tests' shared environment: a built engine, a private redis-server, and cleanup of everything.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { ensureBuilt, killAllRedis, type PrivateRedis, startPrivateRedis, stopAll } from "./processes.js";
import type { Scenario } from "./scenario.js";

/** FaultEnvironment is what a fault-test file gets: its private Redis, and cleanup of its scenarios. */
export interface FaultEnvironment {
  readonly redis: PrivateRedis;
  /** track registers a scenario for cleanup after the file's tests and returns it. */
  track(s: Scenario): Scenario;
}

/**
 * useFaultEnvironment registers the file's beforeAll/afterAll: build once, start a private redis-server,
 * and afterwards stop every engine process and Redis and remove temp files.
 */
export function useFaultEnvironment(): FaultEnvironment {
  let redis: PrivateRedis | undefined;
  let dataDir: string | undefined;
  const scenarios: Scenario[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), "waba-rel-redis-"));
    redis = await startPrivateRedis(dataDir);
  }, 150_000);

  afterAll(async () => {
    await stopAll();
    await killAllRedis();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    for (const s of scenarios) s.cleanup();
  });

  return {
    get redis(): PrivateRedis {
      if (!redis) throw new Error("the private redis-server is not running (beforeAll failed?)");
      return redis;
    },
    track(s) {
      scenarios.push(s);
      return s;
    },
  };
}
