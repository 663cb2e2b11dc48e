import { describe, expect, it } from "vitest";
import { freePort, sleep, startApp, waitUntil } from "./support/processes.js";
import { useFaultEnvironment } from "./support/environment.js";
import {
  batchOf,
  metaBody,
  postBody,
  readHistory,
  type Scenario,
  writeScenario,
} from "./support/scenario.js";

describe("Redis restarted under a running engine", () => {
  const env = useFaultEnvironment();
  let s: Scenario | undefined;

  it("answers 503 while Redis is down, loses nothing acknowledged, and resumes by itself", async () => {
    s = env.track(writeScenario({ redisUrl: env.redis.url, port: await freePort() }));
    const scenario = s;
    const run = `r${Date.now()}`;
    const app = await startApp("start", scenario.config);
    const acked: string[] = [];
    const post = async (i: number) => {
      const events = batchOf(run, i, 3, 1).slice(0, 3);
      const status = await postBody(scenario.port, metaBody(events));
      if (status === 200) acked.push(...events.map((e) => e.messageId));
      return status;
    };

    expect(await post(0)).toBe(200);
    expect(await post(1)).toBe(200);
    await env.redis.kill();
    const during = [await post(2), await post(3)];
    expect(during).toEqual([503, 503]);
    const ready = await fetch(`http://127.0.0.1:${scenario.port}/readyz`);
    expect(ready.status).toBe(503);
    await sleep(1000);
    await env.redis.start();
    // Meta retries: the refused bodies come back and are taken once Redis is there again.
    await waitUntil("ingest to accept again", async () => (await post(2)) === 200, 20_000);
    expect(await post(3)).toBe(200);
    expect(await post(4)).toBe(200);

    await waitUntil(
      "an alert for every acknowledged event",
      async () => {
        const groups = new Set(
          (await readHistory(env.redis.url, scenario.prefix)).map((e) => e.alert.group.message_id),
        );
        return acked.every((id) => groups.has(id));
      },
      30_000,
    );
    const history = await readHistory(env.redis.url, scenario.prefix);
    expect(acked).toHaveLength(15);
    expect(history.filter((e) => e.alert.rule.id === "each-undeliverable")).toHaveLength(15);
    expect(app.logs.some((l) => l.msg === "events queue: Redis connection back")).toBe(true);
    await app.stop("SIGTERM");
  }, 90_000);
});
