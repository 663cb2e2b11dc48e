// The 1-status scenario end to end, with and without the shipped failed-share rule: sustained events/s from a
// ramp, CPU per event at a fixed rate, and the rule's Redis memory at that traffic.
// `npm run build && npx tsx bench/ratio-e2e.ts [--rounds=3]`. Not part of `npm run bench` (it takes ~10 minutes).
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { startAlertProbe } from "./alert-probe.js";
import { openBacklog, waitForWorkers } from "./backlog.js";
import { startEngine, writeConfig } from "./engine.js";
import { killAllSync } from "./procs.js";
import { openRedisStats } from "./redis-stats.js";
import { withShipped, writeRules } from "./rules-gen.js";
import { geometric, runRamp, runStep, type Scenario, type StepContext, sustained } from "./steps.js";
import { freePort } from "./ports.js";

const roundsArg = process.argv.find((a) => a.startsWith("--rounds="));
const ROUNDS = roundsArg ? Math.max(1, Number(roundsArg.split("=")[1])) : 3;
const FIXED_RATE = 3000;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const run = randomBytes(4).toString("hex");
const secret = randomBytes(16).toString("hex");
const tmp = mkdtempSync(join(tmpdir(), "waba-ratio-e2e-"));
const started = Date.now();
const log = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`);
const stats = openRedisStats(REDIS_URL);
const redis = new Redis(REDIS_URL);

type Variant = "without" | "with";
const SCENARIO: Scenario = {
  name: "1 status/POST, 95/5, 50 rules",
  statusesPerBody: 1,
  mix: "mixed",
  rates: geometric(2000, 1.3, 20_000),
};

interface Outcome {
  sustained: number;
  serveUs: number;
  workerUs: number;
  redisUs: number;
  ratioBytes?: number;
  ratioKeys?: number;
  statuses?: number;
}

/** ratioMemory weighs every key of the failed-share rule under `prefix` (MEMORY USAGE, exact for sets). */
async function ratioMemory(prefix: string): Promise<{ bytes: number; keys: number }> {
  let cursor = "0";
  const out = { bytes: 0, keys: 0 };
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `*${prefix}*failed-share@*`, "COUNT", 1000);
    cursor = next;
    for (const k of found) {
      out.bytes += Number(await redis.call("MEMORY", "USAGE", k, "SAMPLES", "0"));
      out.keys++;
    }
  } while (cursor !== "0");
  return out;
}

async function measure(
  variant: Variant,
  rulesDir: string,
  round: number,
  probe: { smtpUrl: string; hookUrl: string },
): Promise<Outcome> {
  const prefix = `bench-ratio-${run}-${variant}-${round}`;
  const port = await freePort();
  const countDir = join(tmp, `counts-${variant}-${round}`);
  mkdirSync(countDir);
  const cfg = writeConfig(
    {
      dir: tmp,
      port,
      redisUrl: REDIS_URL,
      prefix,
      secret,
      rulesDir,
      smtpUrl: probe.smtpUrl,
      hookUrl: probe.hookUrl,
      concurrency: 4,
    },
    `config-${variant}-${round}`,
  );
  const backlog = openBacklog(REDIS_URL, prefix);
  const engine = await startEngine(cfg, port, 1, tmp, countDir);
  try {
    await waitForWorkers(backlog, 1);
    const ctx: StepContext = {
      url: `http://127.0.0.1:${port}`,
      secret,
      run: `${run}${variant}${round}`,
      seconds: 5,
      backlog,
      redis: stats,
      drainCapMs: 20_000,
      counters: {
        dir: countDir,
        serve: engine.serve.pid,
        workers: engine.workers.map((w) => w.pid),
        redis: await stats.pid(),
      },
    };
    const warm = await runStep(ctx, SCENARIO, 1000); // warm-up: JIT, connections, the windows' first keys
    const fixed = await runStep(ctx, SCENARIO, FIXED_RATE);
    const steps = await runRamp(ctx, SCENARIO, (line) => log(`${variant}: ${line.trim()}`));
    const statuses = [fixed, ...steps].reduce((n, s) => n + s.load.ok, warm.load.ok);
    const out: Outcome = {
      sustained: sustained(steps),
      serveUs: fixed.serveCpuMicrosPerRequest,
      workerUs: fixed.workerCpuMicrosPerEvent,
      redisUs: fixed.redisCpuMicrosPerEvent,
    };
    if (variant === "with") {
      const m = await ratioMemory(prefix);
      Object.assign(out, { ratioBytes: m.bytes, ratioKeys: m.keys, statuses });
    }
    return out;
  } finally {
    await engine.stop();
    await backlog.close();
    await stats.deleteKeys(`*${prefix}*`);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const probe = await startAlertProbe(run);
  const base = writeRules(tmp, 50);
  const dirs: Record<Variant, string> = {
    without: base,
    with: withShipped(tmp, base, "with-ratio", "traffic.yaml", ["failed-share"]),
  };
  const results: Record<Variant, Outcome[]> = { without: [], with: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which variant goes first, so a drift of the machine's speed hits both alike.
    const order: Variant[] = r % 2 === 0 ? ["without", "with"] : ["with", "without"];
    for (const v of order) {
      const o = await measure(v, dirs[v], r, probe);
      results[v].push(o);
      log(
        `round ${r + 1} ${v}: sustained ${Math.round(o.sustained)} ev/s; at ${FIXED_RATE} req/s CPU serve ${o.serveUs.toFixed(0)} µs/req, worker ${o.workerUs.toFixed(1)}, redis ${o.redisUs.toFixed(1)} µs/event`,
      );
    }
  }
  await probe.close();
  const row = (v: Variant) => {
    const xs = results[v];
    return `| ${v} failed-share | ${xs.map((o) => Math.round(o.sustained).toLocaleString("en")).join(" / ")} | ${median(xs.map((o) => o.serveUs)).toFixed(0)} | ${median(xs.map((o) => o.workerUs)).toFixed(1)} | ${median(xs.map((o) => o.redisUs)).toFixed(1)} |`;
  };
  const ratio =
    median(results.with.map((o) => o.sustained)) /
    Math.max(1, median(results.without.map((o) => o.sustained)));
  console.log(
    "\n| rules | sustained ev/s (each round) | serve µs/req | worker µs/event | redis µs/event |\n|---|---|---|---|---|",
  );
  console.log(row("without"));
  console.log(row("with"));
  console.log(
    `\nmedian sustained with / without: ${ratio.toFixed(2)} (CPU per event at ${FIXED_RATE} req/s, medians)`,
  );
  for (const o of results.with) {
    if (o.ratioBytes === undefined || !o.statuses) continue;
    console.log(
      `failed-share keys after ${o.statuses.toLocaleString("en")} statuses: ${o.ratioKeys} keys, ${(o.ratioBytes / 2 ** 20).toFixed(1)} MiB (${(o.ratioBytes / o.statuses).toFixed(0)} bytes/status, all within the rule's 1h window)`,
    );
  }
}

main()
  .catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exitCode = 1;
  })
  .finally(() => {
    killAllSync();
    stats.close();
    redis.disconnect();
    rmSync(tmp, { recursive: true, force: true });
  });
