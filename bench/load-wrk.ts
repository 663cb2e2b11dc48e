// The same load step as load.ts, driven by wrk (Debian's `wrk`, C + LuaJIT) when it is installed: it needs a
// fraction of autocannon's CPU, which on a 2-core machine is CPU the engine under test gets back.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadResult, StepLoad } from "./load.js";
import type { SignedBody } from "./payloads.js";

const SCRIPT = join(import.meta.dirname, "wrk-script.lua");
const dir = mkdtempSync(join(tmpdir(), "waba-wrk-"));
const files = new WeakMap<readonly SignedBody[], string>();
let written = 0;

/** wrkVersion is wrk's version line, or undefined when wrk is not installed. */
export function wrkVersion(): string | undefined {
  try {
    execFileSync("wrk", ["--version"], { stdio: "pipe" });
  } catch (err) {
    // wrk --version prints its banner and exits 1.
    const out = String((err as { stdout?: Buffer }).stdout ?? "");
    return /^wrk \S+/.exec(out)?.[0];
  }
  return undefined;
}

function bodiesFile(bodies: readonly SignedBody[]): string {
  const known = files.get(bodies);
  if (known) return known;
  const file = join(dir, `bodies-${written++}.txt`);
  // JSON.stringify never emits a raw newline, so one body per line is safe.
  writeFileSync(file, bodies.map((b) => `${b.signature} ${b.body.toString("utf8")}`).join("\n"));
  files.set(bodies, file);
  return file;
}

/** runWrk drives one step with wrk (one thread; paced by wrk-script.lua when `rate` is set). */
export async function runWrk(step: StepLoad): Promise<LoadResult> {
  const env = {
    ...process.env,
    BENCH_BODIES: bodiesFile(step.bodies),
    BENCH_RATE: String(step.rate ?? 0),
    BENCH_PATH: "/webhooks/whatsapp",
  };
  const args = ["-t1", `-c${step.connections}`, `-d${step.seconds}s`, "--timeout", "10s", "-s", SCRIPT, step.url];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn("wrk", args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (d: Buffer) => {
      text += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      text += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
  });
  const line = out.split("\n").find((l) => l.startsWith("BENCH_JSON "));
  if (!line) throw new Error(`wrk printed no summary: ${out}`);
  const s = JSON.parse(line.slice("BENCH_JSON ".length)) as Record<string, number>;
  const n = (k: string) => s[k] ?? 0;
  const seconds = n("duration_us") / 1e6 || step.seconds;
  const ok = n("requests") - n("status_errors");
  return {
    sent: n("requests") + n("timeout"),
    ok,
    errors: n("status_errors") + n("timeout") + n("connect") + n("read") + n("write"),
    reqPerSec: ok / seconds,
    latencyP50: n("p50_us") / 1000,
    latencyP99: n("p99_us") / 1000,
    latencyMax: n("max_us") / 1000,
    seconds,
  };
}
