// Config loading for CLI commands: SPEC.md's lookup order, problems thrown for main to print.
import { type LoadedConfig, loadConfig, resolveConfigPath } from "./load.js";
import { relative } from "node:path";

/** loadCliConfig resolves the config path the way SPEC.md orders it and loads it. */
export function loadCliConfig(flag: string | undefined): LoadedConfig {
  const path = resolveConfigPath(flag);
  return loadConfig(relative(process.cwd(), path) || path);
}
