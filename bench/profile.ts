// One fixed-rate step against serve + worker, optionally under --cpu-prof: where the time of one rate goes.
//
//   npm run build && npx tsx bench/profile.ts [RATE] [SECONDS] [STATUSES_PER_POST] [--prof]
//
// Prints answered req/s, ack p50/p99, serve CPU µs per request, worker CPU µs per event and peak RSS;
// with --prof, the .cpuprofile files of both processes land in the printed directory (open them in
// Chrome DevTools or speedscope). Extra node flags for the engine: BENCH_NODE_ARGS="--max-old-space-size=160".
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAlertProbe } from "./alert-probe.js";
import { startEngine, writeConfig } from "./engine.js";
import { LOAD_GENERATOR, runLoad } from "./load.js";
import { generateBodies } from "./payloads.js";
import { cpuMs, sampleRss } from "./procs.js";
import { openRedisStats } from "./redis-stats.js";
import { writeRules } from "./rules-gen.js";

const [rate = 3000, seconds = 10, perPost = 1] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith("--"))
  .map(Number);
const prof = process.argv.includes("--prof");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const tmp = mkdtempSync(join(tmpdir(), "waba-profile-"));
const run = randomBytes(4).toString("hex");
const prefix = `profile-${run}`;
const secret = randomBytes(8).toString("hex");
const redis = openRedisStats(redisUrl);
const probe = await startAlertProbe(run);
const port = 18_000 + Math.floor(Math.random() * 1000);
const cfg = writeConfig(
  {
    dir: tmp,
    port,
    redisUrl,
    prefix,
    secret,
    rulesDir: writeRules(tmp, 50),
    smtpUrl: probe.smtpUrl,
    hookUrl: probe.hookUrl,
    concurrency: 4,
  },
  "config",
);
const nodeArgs = [
  ...(prof ? ["--cpu-prof", "--cpu-prof-dir", join(tmp, "prof")] : []),
  ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
];
const engine = await startEngine(cfg, port, 1, tmp, tmp, nodeArgs);
try {
  const rss = sampleRss([engine.serve, ...engine.workers], 100);
  const bodies = generateBodies({
    run,
    bodies: Math.max(2000, (rate * seconds) / 2),
    statusesPerBody: perPost,
    mix: "mixed",
    secret,
  });
  // Warm-up: JIT and connections.
  await runLoad({
    url: engine.url,
    bodies: bodies.slice(0, 500),
    rate: Math.min(rate, 1000),
    seconds: 2,
    connections: 40,
  });
  const worker = engine.workers[0];
  if (!worker) throw new Error("no worker");
  const [s0, w0] = [cpuMs(engine.serve.pid), cpuMs(worker.pid)];
  const r = await runLoad({
    url: engine.url,
    bodies,
    rate,
    seconds,
    connections: Math.max(40, Math.ceil(rate / 25)),
  });
  const [s1, w1] = [cpuMs(engine.serve.pid), cpuMs(worker.pid)];
  rss.stop();
  console.log(
    JSON.stringify({
      loadGenerator: LOAD_GENERATOR,
      offered: rate,
      answeredPerSec: Math.round(r.reqPerSec),
      ackP50Ms: r.latencyP50,
      ackP99Ms: r.latencyP99,
      serveCpuMicrosPerRequest: Math.round(((s1 - s0) * 1000) / Math.max(1, r.ok)),
      workerCpuMicrosPerEvent: Math.round(((w1 - w0) * 1000) / Math.max(1, r.ok * perPost)),
      rssStartMb: rss.first(),
      rssPeakMb: rss.peaks(),
    }),
  );
} finally {
  await engine.stop();
  await probe.close();
  await redis.deleteKeys(`*${prefix}*`);
  redis.close();
  console.log(prof ? `profiles in ${join(tmp, "prof")}` : `logs in ${tmp}`);
}
process.exit(0);
