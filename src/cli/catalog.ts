// `waba-alerts catalog [CODE]`: the error-code knowledge, with the config's overrides applied.
import { existsSync } from "node:fs";
import { createCatalog } from "../catalog/index.js";
import { formatEntry, formatList } from "../catalog/format.js";
import type { CatalogOverrideConfig } from "../config/schema.js";
import { resolveConfigPath } from "../config/load.js";
import { loadCliConfig } from "../config/cli.js";

/** runCatalog prints one entry (or the list); resolves to the exit code. */
export async function runCatalog(code: string | undefined, configFlag: string | undefined): Promise<number> {
  let overrides: Readonly<Record<string, CatalogOverrideConfig>> = {};
  if (configFlag || existsSync(resolveConfigPath(undefined)))
    overrides = loadCliConfig(configFlag).config.catalog;
  const catalog = createCatalog(overrides);
  if (code === undefined) {
    process.stdout.write(formatList(catalog));
    return 0;
  }
  if (!/^\d+$/.test(code)) {
    process.stderr.write(`waba-alerts: "${code}" is not an error code; give digits, e.g. 131048\n`);
    return 2;
  }
  const entry = catalog.get(Number(code));
  if (!entry) {
    process.stderr.write(
      `waba-alerts: no catalog entry for ${code}; run "waba-alerts catalog" for the list, or add it under "catalog:" in the config\n`,
    );
    return 1;
  }
  process.stdout.write(`${formatEntry(entry)}\n`);
  return 0;
}
