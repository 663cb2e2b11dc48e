// One load step: pre-generated signed bodies at a fixed (or unlimited) request rate, sent by wrk when it is
// installed (`apt-get install wrk`), else by autocannon; BENCH_LOADGEN=autocannon|wrk chooses explicitly.
import autocannon from "autocannon";
import { runWrk, wrkVersion } from "./load-wrk.js";
import type { SignedBody } from "./payloads.js";

/** StepLoad is what one step sends. */
export interface StepLoad {
  readonly url: string;
  readonly bodies: readonly SignedBody[];
  /** Requests per second; undefined = as fast as the server answers. */
  readonly rate?: number;
  readonly seconds: number;
  readonly connections: number;
}

/** LoadResult is autocannon's view of a step. */
export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  readonly errors: number;
  readonly reqPerSec: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  readonly latencyMax: number;
  readonly seconds: number;
}

/** LOAD_GENERATOR is the generator this run uses and its version, for the report. */
export const LOAD_GENERATOR = pickGenerator();

function pickGenerator(): string {
  const wanted = process.env.BENCH_LOADGEN;
  const wrk = wanted === "autocannon" ? undefined : wrkVersion();
  if (wanted === "wrk" && !wrk) throw new Error("BENCH_LOADGEN=wrk but wrk is not installed (apt-get install wrk)");
  return wrk ?? "autocannon (in the harness process)";
}

/** runLoad drives one step; bodies are taken in order and wrap around if the step outruns them. */
export async function runLoad(step: StepLoad): Promise<LoadResult> {
  return LOAD_GENERATOR.startsWith("wrk") ? runWrk(step) : runAutocannon(step);
}

async function runAutocannon(step: StepLoad): Promise<LoadResult> {
  if (step.bodies.length === 0) throw new Error("runLoad needs at least one body");
  let next = 0;
  const bodies = step.bodies;
  const instance = autocannon({
    url: `${step.url}/webhooks/whatsapp`,
    connections: step.connections,
    pipelining: 1,
    duration: step.seconds,
    timeout: 10,
    ...(step.rate !== undefined ? { overallRate: step.rate } : {}),
    requests: [
      {
        method: "POST",
        setupRequest(req) {
          const b = bodies[next++ % bodies.length] as SignedBody;
          return {
            ...req,
            body: b.body,
            headers: { "content-type": "application/json", "x-hub-signature-256": b.signature },
          };
        },
      },
    ],
  });
  const r = await instance;
  const seconds = r.duration || step.seconds;
  return {
    sent: r.requests.sent,
    ok: r["2xx"],
    errors: r.errors + r.timeouts + r.non2xx,
    reqPerSec: r["2xx"] / seconds,
    latencyP50: r.latency.p50,
    latencyP99: r.latency.p99,
    latencyMax: r.latency.max,
    seconds,
  };
}
