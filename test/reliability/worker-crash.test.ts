import { describe, expect, it } from "vitest";
import { freePort, startApp, waitUntil } from "./support/processes.js";
import { useFaultEnvironment } from "./support/environment.js";
import {
  alertKey,
  batchOf,
  dryRun,
  metaBody,
  postBody,
  readHistory,
  writeScenario,
} from "./support/scenario.js";

describe("worker and process crashes", () => {
  const env = useFaultEnvironment();

  it("a worker SIGKILLed mid-stream: a new worker finishes, alerts are exactly those of an undisturbed run", async () => {
    const s = env.track(writeScenario({ redisUrl: env.redis.url, port: await freePort() }));
    const run = `k${Date.now()}`;
    const bodies = Array.from({ length: 60 }, (_, i) => metaBody(batchOf(run, i, 4, 3)));
    const expected = (await dryRun(s, bodies)).map(alertKey).sort();
    expect(expected).toHaveLength(60 * 4 + 3);

    const serve = await startApp("serve", s.config);
    const first = await startApp("worker", s.config);
    // Half the stream concurrently; the worker dies as soon as it is busy firing alerts.
    const statuses = Promise.all(bodies.slice(0, 30).map((b) => postBody(s.port, b)));
    await first.waitForLog((l) => l.msg === "alert fired");
    await first.stop("SIGKILL");
    expect(await statuses).toEqual(Array(30).fill(200));
    for (const b of bodies.slice(30)) expect(await postBody(s.port, b)).toBe(200);

    const second = await startApp("worker", s.config);
    // Jobs the dead worker held are recovered by BullMQ's stalled-job check (lock expiry, ~30 s).
    await waitUntil(
      "every alert of the undisturbed run",
      async () => (await readHistory(env.redis.url, s.prefix)).length >= expected.length,
      75_000,
    ).catch(async (err: Error) => {
      const got = (await readHistory(env.redis.url, s.prefix)).map((e) => alertKey(e.alert));
      const { Queue } = await import("bullmq");
      const q = new Queue("events", {
        connection: { host: "127.0.0.1", port: env.redis.port },
        prefix: `{${s.prefix}}`,
      });
      const counts = await q.getJobCounts();
      const failed = (await q.getFailed()).map((j) => j.failedReason);
      await q.close();
      const fired = [...first.logs, ...second.logs]
        .filter((l) => l.msg === "alert fired")
        .map((l) => JSON.stringify(l.group));
      process.stderr.write(
        `DIAG counts=${JSON.stringify(counts)} failed=${JSON.stringify(failed)} firedLogs=${fired.length} missingFired=${fired.filter((g) => g.includes(".30.1") || g.includes(".31.1")).join(",")}\n`,
      );
      throw new Error(
        `${err.message}; missing: ${expected
          .filter((k) => !got.includes(k))
          .slice(0, 5)
          .join(
            " | ",
          )} (${got.length}/${expected.length}); worker warnings: ${JSON.stringify(second.logs.filter((l) => Number(l.level) >= 40)).slice(0, 800)}`,
      );
    });
    await new Promise((r) => setTimeout(r, 1500));
    const got = (await readHistory(env.redis.url, s.prefix)).map((e) => alertKey(e.alert)).sort();
    expect(got).toEqual(expected);
    await second.stop("SIGTERM");
    await serve.stop("SIGTERM");
  }, 120_000);

  it("SIGTERM under load loses no acknowledged event", async () => {
    const s = env.track(writeScenario({ redisUrl: env.redis.url, port: await freePort() }));
    const run = `t${Date.now()}`;
    const app = await startApp("start", s.config);
    const acked = new Set<string>();
    let sent = 0;
    let stopped = false;
    const loop = async (lane: number) => {
      for (let i = 0; !stopped; i++) {
        const events = batchOf(run, lane * 10_000 + i, 3, 1).slice(0, 3);
        sent += 1;
        const status = await postBody(s.port, metaBody(events));
        if (status === 200) for (const e of events) acked.add(e.messageId);
        if (status === 0) return; // the server stopped listening
      }
    };
    const lanes = [0, 1, 2, 3].map(loop);
    await waitUntil("some acknowledged requests", () => acked.size >= 60);
    app.child.kill("SIGTERM");
    const code = await app.exited;
    stopped = true;
    await Promise.all(lanes);
    expect(sent).toBeGreaterThan(20);

    const worker = await startApp("worker", s.config);
    await waitUntil(
      "an alert for every acknowledged event",
      async () => {
        const groups = new Set(
          (await readHistory(env.redis.url, s.prefix)).map((e) => e.alert.group.message_id),
        );
        return [...acked].every((id) => groups.has(id));
      },
      30_000,
    );
    const history = await readHistory(env.redis.url, s.prefix);
    // One alert per event: nothing evaluated into a second alert.
    expect(new Set(history.map((e) => e.alert.id)).size).toBe(history.length);
    expect(new Set(history.map((e) => e.alert.group.message_id)).size).toBe(history.length);
    await worker.stop("SIGTERM");
    // Graceful: the HTTP server closes first (keep-alive sockets told to close), then jobs finish.
    expect(code).toBe(0);
  }, 90_000);
});
