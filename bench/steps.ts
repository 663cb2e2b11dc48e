// Step-rate ramps: run a scenario at rising rates and call a step sustainable when the backlog stays flat.
import { type Backlog, drain, sampleBacklog } from "./backlog.js";
import { type Counts, diffCounts, loopDelayP99, readCounts, settle } from "./counters.js";
import { cpuMs } from "./procs.js";
import { type LoadResult, runLoad } from "./load.js";
import { generateBodies, type Mix } from "./payloads.js";
import type { RedisStats } from "./redis-stats.js";

/** Scenario is one traffic shape and the request rates to try, lowest first. */
export interface Scenario {
  readonly name: string;
  readonly statusesPerBody: number;
  readonly mix: Mix;
  readonly rates: readonly number[];
}

/**
 * StepResult is one step's figures and verdict. A step is sustainable when ≥ 95 % of the offered rate
 * was answered 2xx, the waiting backlog grew by at most 10 % of the step's requests between its first and
 * last third (so the workers keep ≥ ~85 % pace), and what was left drained within max(1 s, step/10).
 */
export interface StepResult {
  readonly rate: number;
  readonly eventsPerSec: number;
  readonly load: LoadResult;
  /** Mean waiting jobs in the last third of the step minus the first third. */
  readonly backlogGrowth: number;
  readonly backlogMax: number;
  readonly drainMs: number;
  readonly redisCommandsPerEvent: number;
  /** Events queue jobs written during the step (requests share jobs under load). */
  readonly jobs: number;
  /** Redis round trips of the serve process per request, and of the workers per job. */
  readonly serveRoundTripsPerRequest: number;
  readonly workerRoundTripsPerJob: number;
  /** CPU time the serve process spent per request, and the workers per event (µs): robust on a shared box. */
  readonly serveCpuMicrosPerRequest: number;
  readonly workerCpuMicrosPerEvent: number;
  /** The serve process's worst half-second p99 event-loop delay during the step (ms). */
  readonly serveLoopDelayP99: number;
  /** redis-server CPU per event (µs); Redis is shared with whatever else runs on the box. */
  readonly redisCpuMicrosPerEvent: number;
  readonly sustainable: boolean;
  readonly why?: string;
}

/** StepContext is what every step needs. */
export interface StepContext {
  readonly url: string;
  readonly secret: string;
  readonly run: string;
  readonly seconds: number;
  readonly backlog: Backlog;
  readonly redis: RedisStats;
  /** DRAIN_CAP_MS bounds the wait after a step. */
  readonly drainCapMs: number;
  /** Where the engine's processes write their Redis counters, and their pids. */
  readonly counters: { readonly dir: string; serve: number; workers: number[]; redis: number };
}

let stepSeq = 0;

/**
 * connectionsFor keeps each connection's share of the rate at ≤ 25 req/s, so a connection keeps pace
 * while acks take up to 40 ms (a shared 2-core box); Meta, too, spreads its POSTs over many connections.
 */
export function connectionsFor(rate: number): number {
  return Math.min(400, Math.max(16, Math.ceil(rate / 25)));
}

function thirds(samples: Array<{ waiting: number }>): { growth: number; max: number } {
  const n = samples.length;
  const max = samples.reduce((m, s) => Math.max(m, s.waiting), 0);
  if (n < 3) return { growth: 0, max };
  const k = Math.max(1, Math.floor(n / 3));
  const mean = (xs: Array<{ waiting: number }>) => xs.reduce((a, s) => a + s.waiting, 0) / xs.length;
  return { growth: mean(samples.slice(n - k)) - mean(samples.slice(0, k)), max };
}

/** runStep sends one step at `rate` req/s and judges it; `during` runs alongside (alert probes). */
export async function runStep(
  ctx: StepContext,
  sc: Scenario,
  rate: number,
  during?: (stopAt: number) => Promise<void>,
  seconds = ctx.seconds,
): Promise<StepResult> {
  const bodies = generateBodies({
    run: `${ctx.run}s${stepSeq++}`,
    bodies: Math.ceil(rate * seconds * 1.15) + 50,
    statusesPerBody: sc.statusesPerBody,
    mix: sc.mix,
    secret: ctx.secret,
  });
  const cmdsBefore = await ctx.redis.commandsProcessed();
  const serveBefore = readCounts(ctx.counters.dir, ctx.counters.serve);
  const workersBefore = sumCounts(ctx.counters.dir, ctx.counters.workers);
  const cpuBefore = cpuOf(ctx);
  const sampler = sampleBacklog(ctx.backlog);
  const startedAt = Date.now();
  const stopAt = startedAt + seconds * 1000;
  const [load] = await Promise.all([
    runLoad({ url: ctx.url, bodies, rate, seconds, connections: connectionsFor(rate) }),
    during ? during(stopAt) : Promise.resolve(),
  ]);
  const samples = await sampler.stop();
  const drained = await drain(ctx.backlog, ctx.drainCapMs);
  const cpuAfter = cpuOf(ctx);
  const cmds = (await ctx.redis.commandsProcessed()) - cmdsBefore;
  await settle();
  const serve = diffCounts(readCounts(ctx.counters.dir, ctx.counters.serve), serveBefore);
  const workers = diffCounts(sumCounts(ctx.counters.dir, ctx.counters.workers), workersBefore);
  const { growth, max } = thirds(samples);
  const events = load.ok * sc.statusesPerBody;
  const requests = load.ok + load.errors;
  const why = verdict(load, rate, growth, drained.ms, seconds);
  return {
    rate,
    eventsPerSec: load.reqPerSec * sc.statusesPerBody,
    load,
    backlogGrowth: Math.round(growth),
    backlogMax: max,
    drainMs: drained.ms,
    redisCommandsPerEvent: events > 0 ? cmds / events : 0,
    jobs: serve.jobsAdded,
    serveRoundTripsPerRequest: requests > 0 ? serve.roundTrips / requests : 0,
    serveCpuMicrosPerRequest: requests > 0 ? ((cpuAfter.serve - cpuBefore.serve) * 1000) / requests : 0,
    workerCpuMicrosPerEvent: events > 0 ? ((cpuAfter.workers - cpuBefore.workers) * 1000) / events : 0,
    serveLoopDelayP99: loopDelayP99(ctx.counters.dir, ctx.counters.serve, startedAt + 500, stopAt),
    redisCpuMicrosPerEvent: events > 0 ? ((cpuAfter.redis - cpuBefore.redis) * 1000) / events : 0,
    workerRoundTripsPerJob: serve.jobsAdded > 0 ? workers.roundTrips / serve.jobsAdded : 0,
    sustainable: why === undefined,
    ...(why ? { why } : {}),
  };
}

function cpuOf(ctx: StepContext): { serve: number; workers: number; redis: number } {
  return {
    serve: cpuMs(ctx.counters.serve),
    redis: cpuMs(ctx.counters.redis),
    workers: ctx.counters.workers.reduce((a, pid) => a + cpuMs(pid), 0),
  };
}

function sumCounts(dir: string, pids: readonly number[]): Counts {
  return pids.reduce((acc, pid) => {
    const c = readCounts(dir, pid);
    return {
      roundTrips: acc.roundTrips + c.roundTrips,
      commands: acc.commands + c.commands,
      pipelines: acc.pipelines + c.pipelines,
      jobsAdded: acc.jobsAdded + c.jobsAdded,
    };
  }, { roundTrips: 0, commands: 0, pipelines: 0, jobsAdded: 0 });
}

function verdict(load: LoadResult, rate: number, growth: number, drainMs: number, seconds: number): string | undefined {
  if (load.errors > 0) return `${load.errors} failed requests`;
  if (load.reqPerSec < rate * 0.95) return `only ${Math.round(load.reqPerSec)} of ${rate} req/s answered`;
  if (growth > Math.max(50, load.ok * 0.1)) return `backlog grew by ${Math.round(growth)} jobs`;
  if (drainMs > Math.max(1000, seconds * 100)) return `backlog took ${drainMs} ms to drain`;
  return undefined;
}

/** runRamp tries `sc.rates` in order and stops after the first unsustainable step (bounded by the list). */
export async function runRamp(ctx: StepContext, sc: Scenario, log: (line: string) => void): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  for (const rate of sc.rates) {
    const step = await runStep(ctx, sc, rate);
    steps.push(step);
    log(
      `  ${sc.name} ${rate} req/s → ${Math.round(step.eventsPerSec)} ev/s, ack p50 ${step.load.latencyP50} ms p99 ${step.load.latencyP99} ms (serve loop delay p99 ${step.serveLoopDelayP99.toFixed(0)} ms), backlog +${step.backlogGrowth} (max ${step.backlogMax}), drain ${step.drainMs} ms, ${step.jobs} jobs, RTT/req ${step.serveRoundTripsPerRequest.toFixed(2)} RTT/job ${step.workerRoundTripsPerJob.toFixed(1)}, CPU serve ${step.serveCpuMicrosPerRequest.toFixed(0)} µs/req worker ${step.workerCpuMicrosPerEvent.toFixed(1)} redis ${step.redisCpuMicrosPerEvent.toFixed(1)} µs/event ${step.sustainable ? "OK" : `✗ ${step.why}`}`,
    );
    if (!step.sustainable) break;
  }
  return steps;
}

/** sustained is the events/s of the fastest sustainable step, or 0. */
export function sustained(steps: readonly StepResult[]): number {
  return steps.filter((s) => s.sustainable).reduce((m, s) => Math.max(m, s.eventsPerSec), 0);
}

/** geometric lists rates from `start`, ×`factor` each, while ≤ `max`. */
export function geometric(start: number, factor: number, max: number): number[] {
  const out: number[] = [];
  for (let r = start; r <= max && out.length < 30; r = Math.round(r * factor)) out.push(r);
  return out;
}
