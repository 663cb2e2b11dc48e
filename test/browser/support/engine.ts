// A real `serve` + `worker` pair for the browser tests, built once with the console beside the server.
import { execSync } from "node:child_process";
import { join } from "node:path";
import { buildDist, type Engine, type EngineDir, REPO, spawnEngine } from "../../helpers/engine.js";

/** buildWithConsole compiles the engine into a private folder and builds the console into its console/. */
export function buildWithConsole(): string {
  const dist = buildDist();
  execSync(
    `npx vite build --config src/console/vite.config.ts --outDir ${join(dist, "console")} --emptyOutDir`,
    {
      cwd: REPO,
      stdio: "pipe",
    },
  );
  return dist;
}

/** Processes are the running serve and worker of one engine dir. */
export interface Processes {
  serve: Engine;
  worker: Engine;
  stop(): Promise<void>;
}

/** startProcesses runs `serve` and `worker` from `dist` on `dir` and waits for both. */
export async function startProcesses(dist: string, dir: EngineDir): Promise<Processes> {
  const serve = await spawnEngine(dist, "serve", dir);
  const worker = await spawnEngine(dist, "worker", dir).catch(async (err: Error) => {
    await serve.stop();
    throw err;
  });
  return {
    serve,
    worker,
    async stop() {
      await Promise.all([serve.stop(), worker.stop()]);
    },
  };
}
