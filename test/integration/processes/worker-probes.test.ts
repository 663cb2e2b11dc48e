// A `worker` process with workers.metrics_port answers /healthz, /readyz and /metrics; /readyz and waba_redis_up follow Redis.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type Engine,
  type EngineDir,
  FROM_SOURCE,
  freePort,
  makeEngineDir,
  spawnEngine,
  waitFor,
} from "../../helpers/engine.js";
import { killAllRedis, startPrivateRedis } from "../../reliability/support/processes.js";

describe("worker probes", () => {
  const data = mkdtempSync(join(tmpdir(), "waba-worker-probes-"));
  let dir: EngineDir | undefined;
  let worker: Engine | undefined;

  afterAll(async () => {
    worker?.child.kill("SIGKILL");
    await worker?.exited;
    await dir?.remove();
    await killAllRedis();
    rmSync(data, { recursive: true, force: true });
  });

  it("is live and ready while Redis answers, live but not ready (503, reason) while it is down", async () => {
    const redis = await startPrivateRedis(data);
    const port = await freePort();
    dir = await makeEngineDir({ redisUrl: redis.url, workerMetricsPort: port, logLevel: "info" });
    worker = await spawnEngine(FROM_SOURCE, "worker", dir);
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, text: await res.text() };
    };
    const redisUp = async () => /^waba_redis_up (\d)$/m.exec((await get("/metrics")).text)?.[1];
    const until = (what: string, ok: () => Promise<boolean>, ms = 10_000) =>
      waitFor(async () => ((await ok()) ? true : undefined), ms, what);

    await until("the probe port", async () => (await get("/healthz").catch(() => undefined))?.status === 200);
    expect(await get("/healthz")).toEqual({ status: 200, text: '{"ok":true}' });
    await until("ready", async () => (await get("/readyz")).status === 200);
    expect(await redisUp()).toBe("1");

    await redis.kill();
    await until("not ready", async () => (await get("/readyz")).status === 503);
    expect(JSON.parse((await get("/readyz")).text)).toEqual({
      ready: false,
      reason: "Redis is not answering",
    });
    expect((await get("/healthz")).status).toBe(200);
    await until("waba_redis_up 0", async () => (await redisUp()) === "0");

    await redis.start();
    await until("ready again", async () => (await get("/readyz")).status === 200, 15_000);
    expect(await redisUp()).toBe("1");
  }, 60_000);
});
