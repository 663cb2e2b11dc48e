// A replica takes over a master (CLUSTER FAILOVER) while webhooks stream in: every alert still arrives exactly
// once, and the log says so in a few lines, never with a Lua script in them.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { keySlot } from "../../../src/queue/slot.js";
import { waitFor } from "../../helpers/engine.js";
import { type HttpReceiver, startHttpReceiver } from "../../helpers/http-receiver.js";
import { startRedisCluster, type TestCluster } from "../../helpers/redis-cluster.js";
import { type SmtpTestServer, startSmtpServer } from "../../helpers/smtp.js";
import { alertsOf, burst, captureLog, clusterEngineDir, deliveredKeys, postTo, startEngine } from "./support.js";

const run = promisify(execFile);

let cluster: TestCluster;
let smtp: SmtpTestServer;
let receiver: HttpReceiver;

beforeAll(async () => {
  [cluster, smtp, receiver] = await Promise.all([
    startRedisCluster({ masters: 3, replicas: 1 }),
    startSmtpServer(),
    startHttpReceiver(),
  ]);
}, 40_000);

afterAll(async () => {
  await Promise.all([cluster?.stop(), smtp?.close(), receiver?.close()]);
});

/** postUntilAccepted posts like Meta does: a 503 (Redis moving) is tried again until it is taken. */
async function postUntilAccepted(port: number, hook: ReturnType<typeof burst>): Promise<number> {
  for (let tries = 1; ; tries++) {
    const status = await postTo(port, hook);
    if (status !== 503 || tries >= 50) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
}

it("delivers every alert exactly once while a replica takes over the master that holds the alert state", async () => {
  const dir = await clusterEngineDir(cluster, { smtp: smtp.url, hook: receiver.url });
  const logs = captureLog();
  const app = await startEngine(dir, "start", logs.log);
  await app.listen();
  try {
    // The master of the `{prefix}` slot holds history, resolves and silences, and a partition or two.
    const client = cluster.client();
    await client.ping();
    const owner = client.slots[keySlot(`{${dir.prefix}}`)]?.[0] ?? "";
    client.disconnect();
    const replica = await cluster.replicaOf(Number(owner.split(":")[1]));
    expect(replica).toBeDefined();

    const numbers = Array.from({ length: 60 }, (_, i) => `1065403522${String(300 + i).padStart(5, "0")}`);
    let failedOver: Promise<unknown> | undefined;
    const statuses: number[] = [];
    for (const [i, n] of numbers.entries()) {
      if (i === 20) failedOver = run("redis-cli", ["-p", String(replica?.port), "cluster", "failover"]);
      statuses.push(await postUntilAccepted(dir.port, burst(n)));
      await new Promise((r) => setTimeout(r, 40));
    }
    await failedOver;
    expect(statuses).toEqual(numbers.map(() => 200));
    await waitFor(
      async () => ((await cluster.masters()).some((m) => m.port === replica?.port) ? true : undefined),
      15_000,
      "the replica to be master",
    );

    await receiver.waitForRequests(60, 30_000);
    await smtp.waitForMessages(60, 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect([...deliveredKeys(receiver.requests).values()]).toEqual(Array(60).fill(1));
    expect(receiver.requests).toHaveLength(60);
    expect(smtp.messages).toHaveLength(60);
    const entries = await alertsOf(cluster, dir.prefix);
    expect(entries.map((e) => e.alert.group.phone_number_id).sort()).toEqual(numbers);

    // A handful of lines about the move at most, and no script text in any of them.
    const trouble = logs.lines.filter((l) => Number(l.level) >= 40);
    expect(trouble.length).toBeLessThanOrEqual(8);
    expect(logs.text()).not.toMatch(/redis\.call|rcall|local function/);
  } finally {
    await app.close();
    await dir.remove();
  }
}, 90_000);
