// How evenly the engine's Redis commands spread over a cluster's masters: `npx tsx bench/cluster-spread.ts`.
//
// Starts a 3-master Redis Cluster on loopback (Debian's redis-server, as the tests do), then for each
// `redis.partitions` asked for (default 1 and 6) runs real `serve` + 2 × `worker` processes on it, posts
// signed webhooks (1–5 statuses each, 95 % delivered / 5 % failed, over 300 business numbers) through the
// shipped rules, waits until the queues are empty, and reads INFO commandstats of every master (calls,
// Lua's own calls included). Prints one markdown table row per run. Not part of `npm run bench`.
//   --partitions=1,3,6   the runs (default 1,6)    --requests=N   webhooks per run (default 4000)
//   --commands           also print each run's 20 most frequent commands (to stderr)
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Queue } from "bullmq";
import { QUEUE_EVENTS, QUEUE_NOTIFICATIONS } from "../src/queue/names.js";
import { queuePartitions } from "../src/queue/partitions.js";
import { freePort, TSX } from "../test/helpers/engine.js";
import { startRedisCluster, type TestCluster } from "../test/helpers/redis-cluster.js";
import { envelope, sign } from "./payloads.js";

const REPO = resolve(import.meta.dirname, "..");
const run = promisify(execFile);
const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const REQUESTS = Number(arg("requests", "4000"));
const NUMBERS = 300;
const CONCURRENCY = 16;
const SECRET = "spread-secret";
const PARTITION_RUNS = arg("partitions", "1,6").split(",").map(Number);

function body(run: string, i: number, ts: number): { body: string; signature: string } {
  const n = i % NUMBERS;
  const statuses = Array.from({ length: 1 + (i % 5) }, (_, s) => {
    const id = `wamid.S${run}x${i}x${s}`;
    return (i + s) % 20 === 0
      ? `{"id":"${id}","status":"failed","timestamp":"${ts}","recipient_id":"1646${i}","errors":[{"code":131026,"title":"Undeliverable","message":"Undeliverable"}]}`
      : `{"id":"${id}","status":"delivered","timestamp":"${ts}","recipient_id":"1646${i}"}`;
  });
  const text = envelope(`1065403${String(n).padStart(8, "0")}`, `1555${String(n).padStart(7, "0")}`, statuses);
  return { body: text, signature: sign(text, SECRET) };
}

function spawnMode(mode: string, config: string, dir: string): ChildProcess {
  const out = openSync(join(dir, `${mode}.log`), "a");
  return spawn(process.execPath, [...TSX, join(REPO, "src/main.ts"), mode, "-c", config], {
    stdio: ["ignore", out, out],
  });
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function drained(cluster: TestCluster, prefix: string, partitions: number): Promise<boolean> {
  const client = cluster.client();
  try {
    let pending = 0;
    for (const name of [QUEUE_EVENTS, QUEUE_NOTIFICATIONS]) {
      for (const p of queuePartitions(prefix, partitions)) {
        const q = new Queue(name, { connection: client, prefix: p.prefix });
        const counts = await q.getJobCounts("waiting", "active", "delayed", "prioritized");
        pending += Object.values(counts).reduce((a, b) => a + b, 0);
        await q.close();
      }
    }
    return pending === 0;
  } finally {
    client.disconnect();
  }
}

/** commandMix is the 20 most frequent commands over every master: where a change in the total comes from. */
async function commandMix(cluster: TestCluster): Promise<string> {
  const all = new Map<string, number>();
  for (const m of await cluster.masters()) {
    const { stdout } = await run("redis-cli", ["-p", String(m.port), "info", "commandstats"]);
    for (const [, name = "", calls] of stdout.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
      all.set(name, (all.get(name) ?? 0) + Number(calls));
  }
  return [...all]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([name, calls]) => `${name}=${calls}`)
    .join(" ");
}

async function runOnce(cluster: TestCluster, partitions: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "waba-spread-"));
  mkdirSync(join(dir, "outbox"));
  const port = await freePort();
  const prefix = `spread${partitions}`;
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    `server: { host: 127.0.0.1, port: ${port} }
redis: { cluster: ${JSON.stringify(cluster.urls)}, partitions: ${partitions}, prefix: ${prefix} }
whatsapp: { app_secret: ${SECRET}, verify_token: v }
rules: { paths: ["${join(REPO, "rules")}"], watch: false }
email: { outbox: ./outbox }
channels:
  ops: { type: email, to: [ops@example.com] }
log: { level: warn }
`,
  );
  const procs = [spawnMode("serve", config, dir), spawnMode("worker", config, dir), spawnMode("worker", config, dir)];
  try {
    await until("serve", async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    await cluster.resetStats();
    const runId = `${partitions}${Date.now()}`;
    const ts = Math.floor(Date.now() / 1000);
    let next = 0;
    let statuses = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < REQUESTS; i = next++) {
          const b = body(runId, i, ts);
          statuses += 1 + (i % 5);
          const res = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-hub-signature-256": b.signature },
            body: b.body,
          });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`POST answered ${res.status}`);
        }
      }),
    );
    const postMs = Date.now() - started;
    await until("the queues to drain", () => drained(cluster, prefix, partitions), 120_000);
    const per = await cluster.commandsPerNode();
    if (process.argv.includes("--commands")) console.error(partitions, await commandMix(cluster));
    const total = [...per.values()].reduce((a, b) => a + b, 0);
    const shares = [...per.values()].map((n) => (100 * n) / total).sort((a, b) => b - a);
    return `| ${partitions} | ${REQUESTS} requests, ${statuses} statuses in ${(postMs / 1000).toFixed(1)} s | ${total.toLocaleString("en")} | ${shares.map((s) => `${s.toFixed(1)} %`).join(" / ")} | ${shares[0]?.toFixed(1)} % |`;
  } finally {
    for (const p of procs) p.kill("SIGTERM");
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once("exit", r)))));
    rmSync(dir, { recursive: true, force: true });
    await cluster.flush();
  }
}

const cluster = await startRedisCluster({ masters: 3 });
try {
  const rows = [];
  for (const partitions of PARTITION_RUNS) rows.push(await runOnce(cluster, partitions));
  console.log("| partitions | load | commands on the masters | share per master (largest first) | busiest |");
  console.log("|---|---|---|---|---|");
  for (const row of rows) console.log(row);
} finally {
  await cluster.stop();
}
