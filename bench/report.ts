// bench/results.json and bench/RESULTS.md: the figures of one run, with the targets they are held against.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Machine } from "./machine.js";
import type { StepResult } from "./steps.js";

/** ScenarioResult is one ramp's steps and the rate it sustained. */
export interface ScenarioResult {
  readonly name: string;
  readonly statusesPerBody: number;
  readonly sustainedEventsPerSec: number;
  readonly baselineEventsPerSec: number;
  readonly steps: readonly StepResult[];
}

/** Results is everything one bench run measured. */
export interface Results {
  readonly date: string;
  readonly mode: "full" | "quick";
  readonly durationSeconds: number;
  readonly machine: Machine;
  readonly workers: number;
  readonly baseline: {
    onePerPost: number;
    hundredPerPost: number;
    ackP50At2k: number;
    ackP99At2k: number;
    cpuMicrosPerRequest: number;
    /** The plain node:http baseline (HMAC + JSON.parse), beside the Fastify one above. */
    http?: { onePerPost: number; hundredPerPost: number; cpuMicrosPerRequest: number };
  };
  readonly at2k: StepResult;
  readonly alertLatencyMs: { email: Latency; webhook: Latency; triggered: number };
  readonly scenarios: readonly ScenarioResult[];
  readonly rules: { evalMicrosPerEvent: Record<string, number>; workerCpuMicrosPerEvent: Record<string, number> };
  readonly rssMb: Record<string, number>;
  readonly rssStartMb: Record<string, number>;
  /** process.memoryUsage() at each process's largest RSS (MB), from the preloaded counter. */
  readonly heapAtPeakMb?: Record<string, { rss: number; heapUsed: number; heapTotal: number }>;
  readonly redis: { beforeMb: number; afterMb: number; windowKeys: number; eventsSent: number };
}

/** Latency is p50/p99/max of some samples (ms) and how many there were. */
export interface Latency {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** latencyOf summarizes samples in ms. */
export function latencyOf(samples: readonly number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? 0;
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? 0 };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const mark = (ok: boolean) => (ok ? "met" : "**missed**");

/** STORM_BEFORE is the storm scenario's sustained events/s when the second release began (bench/RESULTS.md of 2026-11-24). */
const STORM_BEFORE = 14_130;

function targetRows(r: Results): string[] {
  const one = r.scenarios.find((s) => s.statusesPerBody === 1);
  const hundred = r.scenarios.find((s) => s.statusesPerBody === 100);
  const storm = r.scenarios.find((s) => s.name.startsWith("storm"));
  const rows: string[] = [];
  if (one) {
    const http = r.baseline.http;
    if (http) {
      const ratio = one.sustainedEventsPerSec / Math.max(1, http.onePerPost);
      rows.push(`| ≥ 0.5 × bare node:http (1 status per POST), by throughput | ${ratio.toFixed(2)} × (${fmt(one.sustainedEventsPerSec)} of ${fmt(http.onePerPost)} req/s) | ${mark(ratio >= 0.5)} |`);
    }
    const fastifyRatio = one.sustainedEventsPerSec / Math.max(1, one.baselineEventsPerSec);
    rows.push(`| (for comparison) × bare Fastify, 1 status per POST | ${fastifyRatio.toFixed(2)} × (${fmt(one.baselineEventsPerSec)} req/s) | – |`);
    const top = one.steps.filter((s) => s.sustainable).at(-1);
    if (top && http) {
      const engineCpu = top.serveCpuMicrosPerRequest + top.workerCpuMicrosPerEvent + top.redisCpuMicrosPerEvent;
      rows.push(`| (for comparison) CPU per event: bare node:http vs serve+worker+redis | ${http.cpuMicrosPerRequest.toFixed(0)} µs vs ${engineCpu.toFixed(0)} µs (${(http.cpuMicrosPerRequest / engineCpu).toFixed(2)} ×) | – |`);
    }
  }
  if (hundred) {
    rows.push(`| ≥ 50,000 events/s, 100 statuses per POST | ${fmt(hundred.sustainedEventsPerSec)} | ${mark(hundred.sustainedEventsPerSec >= 50_000)} |`);
  }
  if (storm) {
    const x = storm.sustainedEventsPerSec / STORM_BEFORE;
    rows.push(`| storm ≥ 2 × ${fmt(STORM_BEFORE)} events/s (before this release) | ${fmt(storm.sustainedEventsPerSec)} (${x.toFixed(2)} ×) | ${mark(x >= 2)} |`);
  }
  rows.push(`| ack p99 ≤ 25 ms at 2,000 req/s | ${r.at2k.load.latencyP99} ms (p50 ${r.at2k.load.latencyP50}) | ${mark(r.at2k.load.latencyP99 <= 25 && r.at2k.load.ok > 0)} |`);
  const email = r.alertLatencyMs.email;
  rows.push(`| alert latency p99 ≤ 1 s (email) | ${email.p99} ms (p50 ${email.p50}, n=${email.n}/${r.alertLatencyMs.triggered}) | ${mark(email.n > 0 && email.n === r.alertLatencyMs.triggered && email.p99 <= 1000)} |`);
  const e10 = r.rules.evalMicrosPerEvent["10"];
  const e1000 = r.rules.evalMicrosPerEvent["1000"];
  if (e10 !== undefined && e1000 !== undefined) {
    const ratio = e1000 / e10;
    rows.push(`| 1,000 rules ≤ 1.5 × per-event time of 10 | ${ratio.toFixed(2)} × (${e10.toFixed(2)} → ${e1000.toFixed(2)} µs/event) | ${mark(ratio <= 1.5)} |`);
  }
  const workerRss = Math.max(0, ...Object.entries(r.rssMb).filter(([k]) => k.startsWith("worker")).map(([, v]) => v));
  rows.push(`| worker RSS < 200 MB | ${workerRss.toFixed(0)} MB | ${mark(workerRss < 200)} |`);
  return rows;
}

function stepRows(s: ScenarioResult): string[] {
  return s.steps.map(
    (st) =>
      `| ${s.name} | ${fmt(st.rate)} | ${fmt(st.eventsPerSec)} | ${st.load.latencyP50} / ${st.load.latencyP99} (${st.serveLoopDelayP99.toFixed(0)}) | ${st.backlogGrowth} / ${st.backlogMax} | ${st.drainMs} | ${fmt(st.jobs)} | ${st.serveRoundTripsPerRequest.toFixed(2)} | ${st.workerRoundTripsPerJob.toFixed(1)} | ${st.serveCpuMicrosPerRequest.toFixed(0)} / ${st.workerCpuMicrosPerEvent.toFixed(1)} / ${st.redisCpuMicrosPerEvent.toFixed(1)} | ${st.sustainable ? "yes" : `no: ${st.why}`} |`,
  );
}

/** writeResults writes results.json and RESULTS.md into `dir`; `notes` are appended to the markdown. */
export function writeResults(dir: string, r: Results, notes: string): void {
  writeFileSync(join(dir, "results.json"), `${JSON.stringify(r, null, 2)}\n`);
  const m = r.machine;
  const md = [
    "# Benchmark results",
    "",
    `Run: \`npm run bench${r.mode === "quick" ? " -- --quick" : ""}\` on ${r.date} (${r.mode}, ${Math.round(r.durationSeconds)} s, ${r.workers} worker process(es)).`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB; Node ${m.node}; Redis ${m.redis} on 127.0.0.1; load generator: ${m.loadGenerator ?? "autocannon (in the harness process)"}.`,
    `Load average at start: ${m.loadAverage.join(" ")}. Busiest other processes at start:`,
    "",
    ...m.busiest.map((b) => `    ${b}`),
    "",
    "## Targets",
    "",
    "| target | measured | verdict |",
    "|---|---|---|",
    ...targetRows(r),
    "",
    "## Throughput (sustained = fastest step whose backlog stayed flat)",
    "",
    "| scenario | sustained events/s | sustained req/s | bare Fastify req/s (same bodies) | ratio | bare node:http req/s | ratio |",
    "|---|---|---|---|---|---|---|",
    ...r.scenarios.map((s) => {
      const req = s.sustainedEventsPerSec / s.statusesPerBody;
      const base = s.baselineEventsPerSec / s.statusesPerBody;
      const http = r.baseline.http;
      const plain = !http ? 0 : s.statusesPerBody === 1 ? http.onePerPost : s.statusesPerBody === 100 ? http.hundredPerPost / 100 : 0;
      const cell = (b: number) => (b > 0 ? `${fmt(b)} | ${(req / b).toFixed(2)}` : "– | –");
      return `| ${s.name} | ${fmt(s.sustainedEventsPerSec)} | ${fmt(req)} | ${cell(base)} | ${cell(plain)} |`;
    }),
    "",
    "## Steps",
    "",
    "| scenario | req/s offered | events/s answered | ack p50 / p99 ms (serve loop-delay p99) | backlog growth / max (jobs) | drain ms | jobs | serve Redis round trips/request | worker round trips/job | CPU µs: serve/request, worker/event, redis/event | sustainable |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...r.scenarios.flatMap(stepRows),
    ...stepRows({ name: "1/POST at 2k (latency)", statusesPerBody: 1, sustainedEventsPerSec: 0, baselineEventsPerSec: 0, steps: [r.at2k] }),
    "",
    "## Latency, memory, rules",
    "",
    `- Webhook ack at 2,000 req/s: engine p50 ${r.at2k.load.latencyP50} ms / p99 ${r.at2k.load.latencyP99} ms; bare baseline p50 ${r.baseline.ackP50At2k} ms / p99 ${r.baseline.ackP99At2k} ms.`,
    `- Alert latency (POST of the crossing event sent → message at the SMTP server), under 2,000 req/s of background load: p50 ${r.alertLatencyMs.email.p50} ms, p99 ${r.alertLatencyMs.email.p99} ms, max ${r.alertLatencyMs.email.max} ms (${r.alertLatencyMs.email.n} of ${r.alertLatencyMs.triggered} crossings); to the webhook receiver p50 ${r.alertLatencyMs.webhook.p50} ms, p99 ${r.alertLatencyMs.webhook.p99} ms.`,
    `- Peak RSS: ${Object.entries(r.rssMb).map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(", ")} (just after start-up: ${Object.entries(r.rssStartMb).map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(", ")}).`,
    `- V8 heap at each process's RSS peak: ${Object.entries(r.heapAtPeakMb ?? {}).map(([k, m]) => `${k} ${m.heapUsed} MB used of ${m.heapTotal} MB (RSS ${m.rss} MB)`).join(", ") || "not recorded"}.`,
    `- CPU per unit of work (robust on a shared box; from /proc): bare Fastify ${r.baseline.cpuMicrosPerRequest.toFixed(0)} µs${r.baseline.http ? `, bare node:http ${r.baseline.http.cpuMicrosPerRequest.toFixed(0)} µs` : ""} per request at full speed; engine per step in the table below.`,
    `- Redis used_memory ${r.redis.beforeMb.toFixed(1)} MB before, ${r.redis.afterMb.toFixed(1)} MB after ${fmt(r.redis.eventsSent)} events (${(((r.redis.afterMb - r.redis.beforeMb) * 1024 * 1024) / Math.max(1, r.redis.eventsSent)).toFixed(1)} bytes/event); ${fmt(r.redis.windowKeys)} window keys (bounded by rule × group, not by traffic).`,
    `- Rules, evaluation only (in-process, memory windows, 100-status mixed batches): ${Object.entries(r.rules.evalMicrosPerEvent).map(([k, v]) => `${k} rules ${v.toFixed(2)} µs/event`).join(", ")}.`,
    `- Rules, end to end (worker CPU per event at a fixed rate): ${Object.entries(r.rules.workerCpuMicrosPerEvent).map(([k, v]) => `${k} rules ${v.toFixed(1)} µs/event`).join(", ") || "not measured in quick mode"}.`,
    "",
    notes,
    "",
  ].join("\n");
  writeFileSync(join(dir, "RESULTS.md"), md);
}
