// Helpers for tests of CLI commands run in-process: captured output and golden files.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect, vi } from "vitest";

/** CliRun is what a command printed and the exit code it resolved to. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** captureCli runs `run` with stdout and stderr captured (restored afterwards). */
export async function captureCli(run: () => Promise<number>): Promise<CliRun> {
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await run(), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

/**
 * expectGolden compares `actual` with `dir/name`; UPDATE_GOLDEN=1 rewrites the file instead (review the
 * diff). A missing golden file is a failure otherwise, so a test can never pass by writing its own answer.
 */
export function expectGolden(dir: string, name: string, actual: string): void {
  const file = `${dir}/${name}`;
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  else if (!existsSync(file)) {
    throw new Error(`golden file ${file} is missing; run with UPDATE_GOLDEN=1 to write it, then review it`);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}
