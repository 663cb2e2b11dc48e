// One in-process engine (HTTP server and workers) built from config text, for end-to-end tests.
import { pino } from "pino";
import { type App, buildApp } from "../../src/app.js";
import { loadedConfig, parseConfig } from "../../src/config/load.js";

/** startApp parses `text` as the config file `file` (no environment) and builds a silent `start`-mode app. */
export async function startApp(file: string, text: string): Promise<App> {
  const config = parseConfig(file, text, {});
  return buildApp({
    loaded: loadedConfig(config, file, process.cwd()),
    mode: "start",
    log: pino({ level: "silent" }),
  });
}
