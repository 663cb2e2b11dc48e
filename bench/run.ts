// `npm run bench [-- --quick]`: baseline, engine ramps, alert latency, rules ratio → RESULTS.md + results.json.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type AlertProbe, probeEvery, startAlertProbe } from "./alert-probe.js";
import { type Backlog, openBacklog, waitForWorkers } from "./backlog.js";
import { type Engine, startEngine, writeConfig } from "./engine.js";
import { evaluateMicrosPerEvent, mixedBatches } from "./evaluate-cost.js";
import { runLoad } from "./load.js";
import { peakMemory } from "./counters.js";
import { describeMachine } from "./machine.js";
import { generateBodies } from "./payloads.js";
import { cpuMs, killAllSync, sampleRss, spawnProc, stopProc } from "./procs.js";
import { openRedisStats } from "./redis-stats.js";
import { latencyOf, type Results, type ScenarioResult, writeResults } from "./report.js";
import { writeRules } from "./rules-gen.js";
import { geometric, runRamp, runStep, type Scenario, type StepContext, sustained } from "./steps.js";
import { freePort } from "./ports.js";

const quick = process.argv.includes("--quick");
const workersArg = process.argv.find((a) => a.startsWith("--workers="));
const WORKERS = workersArg ? Math.max(1, Number(workersArg.split("=")[1])) : 1;
const STEP_S = quick ? 2 : 5;
const BENCH_DIR = import.meta.dirname;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const run = randomBytes(4).toString("hex");
const prefix = `bench-${run}`;
const secret = randomBytes(16).toString("hex");
const tmp = mkdtempSync(join(tmpdir(), "waba-bench-"));
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`);
const redis = openRedisStats(REDIS_URL);
const countDir = join(tmp, "counts");
mkdirSync(countDir);
const counters: StepContext["counters"] = { dir: countDir, serve: 0, workers: [], redis: 0 };

function scenarios(): Scenario[] {
  const f = quick ? 1.6 : 1.3;
  const cap = (xs: number[]) => (quick ? xs.slice(0, 4) : xs);
  return [
    { name: "1 status/POST, 95/5, 50 rules", statusesPerBody: 1, mix: "mixed", rates: cap(geometric(quick ? 2500 : 2000, f, 20_000)) },
    { name: "100 statuses/POST, 95/5", statusesPerBody: 100, mix: "mixed", rates: cap(geometric(quick ? 100 : 40, f, 1500)) },
    { name: "storm 131048, 10/POST, 3 numbers", statusesPerBody: 10, mix: "storm", rates: cap(geometric(quick ? 650 : 300, f, 6000)) },
  ];
}

/** bareRun measures one bare server flat out (1- and 100-status bodies) and at 2,000 req/s. */
async function bareRun(script: string, port: number, name: string) {
  const proc = spawnProc(name, ["--import", "tsx", join(BENCH_DIR, script), String(port), secret], join(tmp, `${name}.log`));
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = quick ? 2 : 4;
    const one = generateBodies({ run: `${run}${name}1`, bodies: 2000, statusesPerBody: 1, mix: "mixed", secret });
    const cpu0 = cpuMs(proc.pid);
    const max1 = await runLoad({ url, bodies: one, seconds, connections: 64 });
    const cpuPerRequest = ((cpuMs(proc.pid) - cpu0) * 1000) / Math.max(1, max1.ok);
    const hundred = generateBodies({ run: `${run}${name}100`, bodies: 200, statusesPerBody: 100, mix: "mixed", secret });
    const max100 = await runLoad({ url, bodies: hundred, seconds, connections: 32 });
    const at2k = await runLoad({ url, bodies: one, rate: 2000, seconds, connections: 40 });
    log(`${name}: ${Math.round(max1.reqPerSec)} req/s (1/POST, ${cpuPerRequest.toFixed(0)} µs CPU/req), ${Math.round(max100.reqPerSec)} req/s (100/POST), ack at 2k p50 ${at2k.latencyP50} p99 ${at2k.latencyP99} ms`);
    return { max1, max100, at2k, cpuPerRequest };
  } finally {
    await stopProc(proc);
  }
}

/** baseline measures the two bare servers: Fastify (what the engine is built on) and plain node:http. */
async function baseline(port: number): Promise<Results["baseline"]> {
  const fastify = await bareRun("bare-server.ts", port, "bare-fastify");
  const http = await bareRun("bare-http.ts", port, "bare-http");
  return {
    onePerPost: fastify.max1.reqPerSec,
    hundredPerPost: fastify.max100.reqPerSec * 100,
    ackP50At2k: fastify.at2k.latencyP50,
    ackP99At2k: fastify.at2k.latencyP99,
    cpuMicrosPerRequest: fastify.cpuPerRequest,
    http: {
      onePerPost: http.max1.reqPerSec,
      hundredPerPost: http.max100.reqPerSec * 100,
      cpuMicrosPerRequest: http.cpuPerRequest,
    },
  };
}

async function engineWith(rules: number, probe: AlertProbe, port: number, backlog: Backlog): Promise<Engine> {
  const rulesDir = writeRules(tmp, rules);
  const cfg = writeConfig(
    { dir: tmp, port, redisUrl: REDIS_URL, prefix, secret, rulesDir, smtpUrl: probe.smtpUrl, hookUrl: probe.hookUrl, concurrency: 4 },
    `config-${rules}`,
  );
  const engine = await startEngine(cfg, port, WORKERS, tmp, countDir, process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []);
  await waitForWorkers(backlog, WORKERS);
  counters.serve = engine.serve.pid;
  counters.workers = engine.workers.map((w) => w.pid);
  return engine;
}

/** workerCpuPerEvent sends 100-status bodies at a fixed rate and returns worker CPU µs per event. */
async function workerCpuPerEvent(ctx: StepContext, engine: Engine): Promise<number> {
  const before = engine.workers.reduce((a, w) => a + cpuMs(w.pid), 0);
  const step = await runStep(ctx, { name: "rules", statusesPerBody: 100, mix: "mixed", rates: [] }, 40);
  const used = engine.workers.reduce((a, w) => a + cpuMs(w.pid), 0) - before;
  return (used * 1000) / Math.max(1, step.load.ok * 100);
}

async function main(): Promise<void> {
  const machine = describeMachine(await redis.version());
  counters.redis = await redis.pid();
  log(`bench ${quick ? "quick" : "full"} run ${run}; load average ${machine.loadAverage.join(" ")}; tmp ${tmp}`);
  const probe = await startAlertProbe(run);
  const base = await baseline(await freePort());
  const port = await freePort();
  const backlog = openBacklog(REDIS_URL, prefix);
  const ctx: StepContext = { url: `http://127.0.0.1:${port}`, secret, run, seconds: STEP_S, backlog, redis, drainCapMs: quick ? 8000 : 20_000, counters };
  const beforeMb = await redis.usedMemoryMb();

  let engine = await engineWith(50, probe, port, backlog);
  const rss = sampleRss([engine.serve, ...engine.workers]);
  const [first, ...rest] = scenarios();
  if (!first) throw new Error("no scenarios");
  // Warm-up (JIT, connections), not recorded.
  await runStep(ctx, first, 1000, undefined, quick ? 1 : STEP_S);
  log("1 status/POST at 2,000 req/s with alert probes");
  const at2k = await runStep(ctx, first, 2000, (stopAt) => probeEvery(probe, ctx.url, secret, stopAt, quick ? 250 : 400));
  log(
    `  ack p50 ${at2k.load.latencyP50} ms p99 ${at2k.load.latencyP99} ms (serve loop delay p99 ${at2k.serveLoopDelayP99.toFixed(0)} ms); ${at2k.sustainable ? "sustainable" : at2k.why}`,
  );
  const lat = await probe.results(5000);
  log(`  alert latency email p50 ${latencyOf(lat.email).p50} p99 ${latencyOf(lat.email).p99} ms (${lat.email.length}/${lat.triggered})`);
  const results: ScenarioResult[] = [];
  for (const sc of [first, ...rest]) {
    log(`ramp: ${sc.name}`);
    const steps = await runRamp(ctx, sc, log);
    const baselineEvents = sc.statusesPerBody === 1 ? base.onePerPost : sc.statusesPerBody === 100 ? base.hundredPerPost : 0;
    results.push({ name: sc.name, statusesPerBody: sc.statusesPerBody, sustainedEventsPerSec: sustained(steps), baselineEventsPerSec: baselineEvents, steps });
  }
  rss.stop();
  const heapAtPeak: Results["heapAtPeakMb"] = {};
  for (const p of [engine.serve, ...engine.workers]) {
    const m = peakMemory(countDir, p.pid);
    if (m) heapAtPeak[p.name] = m;
  }
  const eventsSent = results.reduce(
    (a, r) => a + r.steps.reduce((b, s) => b + s.load.ok * r.statusesPerBody, 0),
    at2k.load.ok,
  );
  const afterMb = await redis.usedMemoryMb();
  const windowKeys = await redis.countKeys(`${prefix}:window:*`);
  await engine.stop();

  const evalMicros: Record<string, number> = {};
  const cpuMicros: Record<string, number> = {};
  // Sub-microsecond figures on a shared box: interleave the sets and keep each one's best round.
  const batches = mixedBatches(`${run}m`, quick ? 100 : 200);
  for (const n of [10, 1000, 10, 1000, 10, 1000]) {
    const us = await evaluateMicrosPerEvent(writeRules(tmp, n), batches, quick ? 2 : 4);
    evalMicros[n] = Math.min(evalMicros[n] ?? Number.POSITIVE_INFINITY, us);
  }
  log(`evaluation only: 10 rules ${evalMicros[10]?.toFixed(2)} µs/event, 1000 rules ${evalMicros[1000]?.toFixed(2)} µs/event`);
  if (!quick) {
    for (const n of [10, 1000]) {
      engine = await engineWith(n, probe, port, backlog);
      cpuMicros[n] = await workerCpuPerEvent(ctx, engine);
      log(`worker CPU with ${n} rules: ${cpuMicros[n]?.toFixed(1)} µs/event`);
      await engine.stop();
    }
  }
  const notesFile = join(BENCH_DIR, "notes.md");
  const notes = existsSync(notesFile) ? readFileSync(notesFile, "utf8") : "";
  writeResults(
    BENCH_DIR,
    {
      date: new Date().toISOString(),
      mode: quick ? "quick" : "full",
      durationSeconds: (Date.now() - started) / 1000,
      machine,
      workers: WORKERS,
      baseline: base,
      at2k,
      alertLatencyMs: { email: latencyOf(lat.email), webhook: latencyOf(lat.webhook), triggered: lat.triggered },
      scenarios: results,
      rules: { evalMicrosPerEvent: evalMicros, workerCpuMicrosPerEvent: cpuMicros },
      rssMb: rss.peaks(),
      rssStartMb: rss.first(),
      heapAtPeakMb: heapAtPeak,
      redis: { beforeMb, afterMb, windowKeys, eventsSent: eventsSent },
    },
    notes,
  );
  log(`wrote ${resolve(BENCH_DIR, "RESULTS.md")}`);
  await backlog.close();
  await probe.close();
}

async function cleanup(): Promise<void> {
  killAllSync();
  const removed = await redis.deleteKeys(`*${prefix}*`).catch(() => 0);
  redis.close();
  rmSync(tmp, { recursive: true, force: true });
  log(`cleaned up ${removed} Redis keys`);
}

process.on("exit", killAllSync);
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(cleanup)
  .then(() => process.exit(0))
  .catch(async (err: Error) => {
    console.error(err.stack ?? err.message);
    await cleanup();
    process.exit(1);
  });
