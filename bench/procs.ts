// Child processes of a bench run: spawn, track, sample RSS/CPU from /proc, and always kill on the way out.
import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";

/** Proc is one tracked child process. */
export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
}

const running = new Set<Proc>();

/** spawnProc starts `node args…` with its output going to `logFile`, and tracks it for killAll. */
export function spawnProc(name: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = {}): Proc {
  const fd = openSync(logFile, "a");
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", fd, fd],
    env: { ...process.env, ...env },
  });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  const proc: Proc = { name, child, pid: child.pid };
  running.add(proc);
  child.once("exit", () => running.delete(proc));
  return proc;
}

/** stopProc sends SIGTERM, then SIGKILL after `graceMs`, and resolves once the process is gone. */
export async function stopProc(proc: Proc, graceMs = 5000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
    running.delete(proc);
    return;
  }
  const exited = new Promise<void>((resolve) => proc.child.once("exit", () => resolve()));
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  running.delete(proc);
}

/** killAllSync kills every tracked child at once (for exit and signal handlers, which cannot await). */
export function killAllSync(): void {
  for (const p of running) {
    try {
      p.child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
  running.clear();
}

/** rssMb is the resident set size of `pid` in MB, or 0 when it cannot be read. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m?.[1] ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const TICKS_PER_SECOND = 100;

/** cpuMs is the user+system CPU time `pid` has used so far, in ms (from /proc/PID/stat). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command name: state is field 3, utime 14 and stime 15 (1-based) → indices 11 and 12 here.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** RssSampler records the peak RSS of some processes until stopped. */
export interface RssSampler {
  peaks(): Record<string, number>;
  /** first is each process's RSS when sampling started. */
  first(): Record<string, number>;
  stop(): void;
}

/** sampleRss polls the RSS of `procs` every `everyMs` and keeps each one's peak. */
export function sampleRss(procs: readonly Proc[], everyMs = 250): RssSampler {
  const peak: Record<string, number> = {};
  const tick = () => {
    for (const p of procs) peak[p.name] = Math.max(peak[p.name] ?? 0, rssMb(p.pid));
  };
  tick();
  const start = { ...peak };
  const timer = setInterval(tick, everyMs);
  return {
    peaks: () => ({ ...peak }),
    first: () => ({ ...start }),
    stop: () => clearInterval(timer),
  };
}
