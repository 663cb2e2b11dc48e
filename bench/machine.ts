// What the bench ran on and alongside: CPU, memory, Node/Redis versions, load and the busiest other processes.
import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { LOAD_GENERATOR } from "./load.js";

/** Machine describes the box and its load when a bench run started. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly redis: string;
  readonly loadAverage: readonly number[];
  /** The load generator and its version (wrk, or autocannon in the harness process). */
  readonly loadGenerator?: string;
  /** The busiest processes by CPU when the run started (other people's work on a shared box). */
  readonly busiest: readonly string[];
}

function busiestProcesses(): string[] {
  try {
    const out = execFileSync("ps", ["-eo", "pcpu,etime,comm,args", "--sort=-pcpu"], { encoding: "utf8" });
    return out
      .split("\n")
      .slice(1, 9)
      .map((l) => l.trim().replace(/\s+/g, " ").slice(0, 140))
      .filter((l) => l !== "" && !l.startsWith("0.0"));
  } catch {
    return [];
  }
}

/** describeMachine gathers the facts for the report; `redisVersion` comes from INFO server. */
export function describeMachine(redisVersion: string): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? "unknown",
    cores: c.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    redis: redisVersion,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    loadGenerator: LOAD_GENERATOR,
    busiest: busiestProcesses(),
  };
}
