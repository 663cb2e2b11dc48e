// What every builder of a process gets: the config in both forms, the logger, the metrics and the clock.
import type { LoadedConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { Settings } from "../config/settings.js";
import type { Logger } from "../shared/logger.js";
import type { Metrics } from "../shared/metrics.js";

/** AppMode says which parts a process runs: HTTP, workers, or both. */
export type AppMode = "start" | "serve" | "worker";

/** AppOptions are what a process needs to build the app. */
export interface AppOptions {
  loaded: LoadedConfig;
  mode: AppMode;
  log: Logger;
  now?: () => number;
  /** How often workers look for firings to resolve (default 5 s; tests shorten it). */
  resolveIntervalMs?: number;
  /** False: no background resolver loop, passes only through App.resolveNow (deterministic tests). */
  resolveLoop?: boolean;
  /** How often workers look for groups of absent rules that went silent (default 5 s; tests shorten it). */
  sweepIntervalMs?: number;
}

/** AppContext is handed to every builder: read-only, built once per process. */
export interface AppContext {
  readonly options: AppOptions;
  readonly loaded: LoadedConfig;
  readonly config: Config;
  readonly settings: Settings;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
}

/** Part is what a builder hands back: something to close at shutdown. */
export interface Part {
  close(): Promise<void>;
}
