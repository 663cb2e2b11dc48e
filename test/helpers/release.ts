// Helpers for the release checks: a clean copy of the checkout, commands with captured output, a process
// started until it answers, and a signed burst that fires the shipped spam-rate-limit rule.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { REPO, waitFor, watchChild, webhook } from "./engine.js";

const exec = promisify(execFile);

/** cleanCopy copies the checkout's files as a fresh clone would have them (tracked and new, not ignored) to `dest`. */
export async function cleanCopy(dest: string): Promise<void> {
  const { stdout } = await exec("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const file of stdout.split("\0").filter(Boolean)) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(REPO, file), join(dest, file), { force: true, errorOnExist: false });
  }
}

/** Ran is a finished command's exit code and output. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** sh runs a command to its end and returns its exit code and output (it never throws on a non-zero exit). */
export async function sh(
  argv: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Ran> {
  const [cmd = "", ...rest] = argv;
  try {
    const { stdout, stderr } = await exec(cmd, rest, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      timeout: opts.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === "number" ? e.code : 1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? e.message,
    };
  }
}

/** Started is a long-running child with its output so far. */
export interface Started {
  readonly child: ChildProcess;
  output(): string;
  /** stop sends SIGTERM and resolves to the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/** startUntil spawns `argv` and resolves once `ready` returns true; it kills the child if that never happens. */
export async function startUntil(
  argv: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; ready: () => Promise<boolean>; timeoutMs?: number },
): Promise<Started> {
  const [cmd = "", ...rest] = argv;
  const child = spawn(cmd, rest, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { output, exited } = watchChild(child);
  const started: Started = {
    child,
    output,
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${argv.join(" ")} exited early:\n${output()}`);
        return (await opts.ready().catch(() => false)) ? true : undefined;
      },
      opts.timeoutMs ?? 30_000,
      `${argv.join(" ")} to be ready`,
    );
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return started;
}

/** answers says whether `url` answers 2xx right now. */
export async function answers(url: string): Promise<boolean> {
  const res = await fetch(url).catch(() => undefined);
  return res?.ok === true;
}

/** fireSpamAlert posts six signed 131048 failures on one number (the shipped spam-rate-limit fires on the 6th). */
export async function fireSpamAlert(port: number): Promise<number> {
  const hook = webhook({ count: 6, code: 131048 });
  const res = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
    method: "POST",
    body: hook.body,
    headers: hook.headers,
  });
  return res.status;
}

/** emlFiles lists the .eml files in an outbox (none when it does not exist yet). */
export function emlFiles(outbox: string): string[] {
  try {
    return readdirSync(outbox).filter((f) => f.endsWith(".eml"));
  } catch {
    return [];
  }
}
