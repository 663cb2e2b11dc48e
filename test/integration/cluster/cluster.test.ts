// The engine on a real 3-master Redis Cluster with 6 queue partitions: signed webhooks in, email and signed
// webhooks out, silences, resolves, two workers, a worker killed with -9, rule reloads reaching every process.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import { queuePartitions } from "../../../src/queue/partitions.js";
import { checkRedis } from "../../../src/queue/redis-check.js";
import { keySlot } from "../../../src/queue/slot.js";
import { ADMIN, type EngineDir, FROM_SOURCE, freePort, spawnEngine, waitFor } from "../../helpers/engine.js";
import { type HttpReceiver, startHttpReceiver } from "../../helpers/http-receiver.js";
import { startRedisCluster, type TestCluster } from "../../helpers/redis-cluster.js";
import { type SmtpTestServer, startSmtpServer } from "../../helpers/smtp.js";
import {
  alertsOf,
  burst,
  captureLog,
  clusterEngineDir,
  deliveredKeys,
  PARTITIONS,
  postTo,
  startEngine,
} from "./support.js";

let cluster: TestCluster;
let smtp: SmtpTestServer;
let receiver: HttpReceiver;
let dir: EngineDir;
const apps: App[] = [];

beforeAll(async () => {
  [cluster, smtp, receiver] = await Promise.all([
    startRedisCluster({ masters: 3 }),
    startSmtpServer(),
    startHttpReceiver(),
  ]);
}, 30_000);

afterAll(async () => {
  await Promise.all([cluster?.stop(), smtp?.close(), receiver?.close()]);
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await dir?.remove();
  await cluster.flush();
  smtp.messages.length = 0;
  receiver.requests.length = 0;
});

async function start(mode: "start" | "serve" | "worker", extra: Parameters<typeof startEngine>[3] = {}) {
  const logs = captureLog();
  const app = await startEngine(dir, mode, logs.log, extra);
  apps.push(app);
  if (mode !== "worker") await app.listen();
  return { app, logs };
}

describe("on a 3-master Redis Cluster with 6 partitions", () => {
  it("turns signed webhooks for 12 numbers into 12 emails and 12 signed POSTs, the queues spread over every master", async () => {
    dir = await clusterEngineDir(cluster, { smtp: smtp.url, hook: receiver.url });
    const { app, logs } = await start("start");
    expect((await app.server!.inject({ url: "/readyz" })).json()).toEqual({ ready: true });

    const numbers = Array.from({ length: 12 }, (_, i) => `1065403522${String(i).padStart(5, "0")}`);
    const codes = await Promise.all(numbers.map((n) => postTo(dir.port, burst(n))));
    expect(codes).toEqual(numbers.map(() => 200));

    const mails = await smtp.waitForMessages(12, 15_000);
    await receiver.waitForRequests(12, 15_000);
    expect(new Set(mails.map((m) => m.subject))).toEqual(
      new Set(["[CRITICAL] 131048 Spam rate limit hit — 3 in 10m on +1 555 078 3881"]),
    );
    const bodies = receiver.requests.map(
      (r) => JSON.parse(r.text) as { alert: { group: { phone_number_id: string } } },
    );
    expect(bodies.map((b) => b.alert.group.phone_number_id).sort()).toEqual(numbers);
    expect(
      receiver.requests.every((r) => String(r.headers["x-waba-alerts-signature"]).startsWith("sha256=")),
    ).toBe(true);

    // The events of the 12 numbers went through several partitions, and the partitions sit two by two on
    // the three masters (as the cluster itself says who owns their slots).
    const client = cluster.client();
    try {
      const partitions = queuePartitions(dir.prefix, PARTITIONS);
      const used = await Promise.all(partitions.map((p) => client.zcard(`${p.prefix}:events:completed`)));
      expect(used.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
      const owners = partitions.map((p) => client.slots[keySlot(p.prefix)]?.[0]);
      expect(new Set(owners).size).toBe(3);
      for (const owner of new Set(owners)) expect(owners.filter((o) => o === owner)).toHaveLength(2);
    } finally {
      client.disconnect();
    }
    expect(logs.lines.filter((l) => Number(l.level) >= 40)).toEqual([]);
  });

  it("records a silenced number's alert without sending it, and sends the others'", async () => {
    dir = await clusterEngineDir(cluster, { smtp: smtp.url, hook: receiver.url });
    const { app } = await start("start");
    const res = await app.server!.inject({
      method: "POST",
      url: "/api/silences",
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { matchers: { rule: "spam-burst", phone_number_id: "106540352200001" }, duration: "1h" },
    });
    expect(res.statusCode).toBe(201);
    expect(await postTo(dir.port, burst("106540352200001"))).toBe(200);
    expect(await postTo(dir.port, burst("106540352200002"))).toBe(200);
    await smtp.waitForMessages(1, 15_000);
    const entries = await waitFor(async () => {
      const all = await alertsOf(cluster, dir.prefix);
      return all.length === 2 ? all : undefined;
    });
    const stateOf = (n: string) => entries.find((e) => e.alert.group.phone_number_id === n)?.state;
    expect(stateOf("106540352200001")).toBe("silenced");
    expect(stateOf("106540352200002")).toBe("firing");
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it("sends alert.resolved once the window stays quiet", async () => {
    dir = await clusterEngineDir(cluster, { smtp: smtp.url, hook: receiver.url });
    let clock = Date.now();
    const { app } = await start("start", { now: () => clock, resolveIntervalMs: 50 });
    expect(await postTo(dir.port, burst("106540352200003", 3, Math.floor(clock / 1000)))).toBe(200);
    await receiver.waitForRequests(1, 15_000);
    clock += 11 * 60_000;
    const [, resolved] = await receiver.waitForRequests(2, 15_000);
    expect(JSON.parse(resolved!.text)).toMatchObject({ type: "alert.resolved", alert: { count: 0 } });
    const entries = await alertsOf(cluster, dir.prefix);
    expect(entries.map((e) => e.state).sort()).toEqual(["resolved", "resolved"]);
    expect(app.resolveNow).toBeDefined();
  });

  it("with two workers delivers each alert exactly once; a worker killed with -9 loses no alert", async () => {
    dir = await clusterEngineDir(cluster, { smtp: smtp.url, hook: receiver.url, port: await freePort() });
    await start("serve");
    const killed = await spawnEngine(FROM_SOURCE, "worker", dir);
    const { logs } = await start("worker");
    // Waves of 15 new business numbers, one alert each. Which worker takes a job is up to the queue, so a
    // phase posts waves until the worker to be killed has taken part (on a busy machine the other may take a
    // whole wave).
    const numbers: string[] = [];
    const wave = async () => {
      const list = Array.from(
        { length: 15 },
        (_, i) => `1065403522${String(100 + numbers.length + i).padStart(5, "0")}`,
      );
      numbers.push(...list);
      expect(await Promise.all(list.map((n) => postTo(dir.port, burst(n))))).toEqual(list.map(() => 200));
    };
    const firedBy = () => killed.output().match(/alert fired/g)?.length ?? 0;
    const untilKilledFires = async (before: number) => {
      for (let w = 0; w < 4 && firedBy() <= before; w++) {
        await wave();
        await waitFor(async () => (firedBy() > before ? true : undefined), 5000, "the worker to fire").catch(
          () => {},
        );
      }
      expect(firedBy(), "the worker to be killed took part").toBeGreaterThan(before);
    };

    // Both workers take part: every alert is delivered once, on each channel.
    await untilKilledFires(0);
    await receiver.waitForRequests(numbers.length, 15_000);
    await smtp.waitForMessages(numbers.length, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect([...deliveredKeys(receiver.requests).values()]).toEqual(numbers.map(() => 1));
    expect(smtp.messages).toHaveLength(numbers.length);

    // One worker dies with -9 while it is busy; what it held comes back after its lock runs out (10 s).
    await untilKilledFires(firedBy());
    killed.child.kill("SIGKILL");
    await killed.exited;
    await wave();
    await receiver.waitForRequests(numbers.length, 40_000);
    await smtp.waitForMessages(numbers.length, 20_000);
    await new Promise((r) => setTimeout(r, 1000));

    // Each alert once in the history; on the wire at least once, a repeat (an attempt the dead worker had
    // made but not recorded) carrying the same Idempotency-Key for the receiver to drop.
    const entries = await alertsOf(cluster, dir.prefix);
    expect(entries.map((e) => e.alert.group.phone_number_id).sort()).toEqual([...numbers].sort());
    const keys = deliveredKeys(receiver.requests);
    expect(keys.size).toBe(numbers.length);
    const repeats = receiver.requests.length - keys.size;
    expect(repeats).toBeLessThanOrEqual(12);
    expect(logs.text()).not.toMatch(/redis\.call|rcall/);
  }, 90_000);

  it("refuses redis.url at one node of the cluster: the start-up check names redis.cluster, /readyz is 503", async () => {
    const node = cluster.nodes[0]!;
    await expect(checkRedis({ url: node.url })).rejects.toThrow(
      `Redis at ${node.url} is a node of a Redis Cluster: list the cluster's nodes under redis.cluster`,
    );
    const persistence = await checkRedis({ url: "redis://unused", cluster: cluster.urls });
    expect(persistence).toMatchObject({ aof: false, rdb: false });

    // Past the check (buildApp does not run it), a plain connection to one node cannot reach the partitions
    // that other masters hold: not ready, rather than answering 200 and then 503 to every webhook.
    dir = await clusterEngineDir(cluster, { smtp: smtp.url, hook: receiver.url });
    const text = readFileSync(dir.config, "utf8").replace(/cluster: \[[^\]]*\]/, `url: "${node.url}"`);
    writeFileSync(dir.config, text);
    const { app } = await start("serve");
    const res = await app.server!.inject({ url: "/readyz" });
    expect(res.statusCode).toBe(503);
  });

  it("takes a rule reload made by one process to every other within 5 s", async () => {
    dir = await clusterEngineDir(cluster, { smtp: smtp.url, hook: receiver.url });
    const serve = await start("serve");
    const worker = await start("worker");
    const before = await rulesOf(serve.app);
    writeFileSync(
      join(dir.dir, "rules", "extra.yaml"),
      `rules:\n  - id: extra-rule\n    description: Added while running\n    when: { code: 131026 }\n`,
    );
    const started = Date.now();
    const res = await serve.app.server!.inject({
      method: "POST",
      url: "/api/rules/reload",
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(res.statusCode).toBe(200);
    expect(await rulesOf(serve.app)).toContain("extra-rule");
    await waitFor(
      async () =>
        worker.logs.lines.some((l) => l.msg === "rules reloaded" && l.asked_by) ? true : undefined,
      5000,
      "the worker to reload",
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(before).not.toContain("extra-rule");
    // The worker evaluates with the new rule: its metric counts one more rule.
    const text = await worker.app.metrics.registry.getSingleMetricAsString("waba_rules_loaded");
    expect(text).toMatch(new RegExp(`waba_rules_loaded ${before.length + 1}\\b`));
  });
});

async function rulesOf(app: App): Promise<string[]> {
  const res = await app.server!.inject({ url: "/api/rules", headers: { authorization: `Bearer ${ADMIN}` } });
  return (res.json() as { rules: Array<{ id: string }> }).rules.map((r) => r.id);
}
