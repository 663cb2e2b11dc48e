
import { buildNotifiers } from "../notify/registry.js";
import { createCatalog } from "../catalog/index.js";
import type { Alert } from "../model/alert.js";
import { notifyTest, sampleAlert } from "../notify/sample.js";
import { createLogger } from "../shared/logger.js";
import { didYouMean } from "../shared/suggest.js";
import { loadCliConfig } from "../config/cli.js";

/**
 * runNotifyTest sends the sample alert (or, with `digest`, a sample digest) once (no retries) and prints
 * what happened; resolves to the exit code.
 */
export async function runNotifyTest(
  channel: string,
  configFlag: string | undefined,
  digest = false,
): Promise<number> {
  const loaded = loadCliConfig(configFlag);
  const { config } = loaded;
  if (!(channel in config.channels)) {
    const names = Object.keys(config.channels);
    process.stderr.write(
      `waba-alerts: no channel "${channel}"${didYouMean(channel, names)}; configured: ${names.join(", ") || "(none)"}\n`,
    );
    return 2;
  }
  const notifiers = buildNotifiers(config, createLogger("warn"), loaded.settings);
  const notifier = notifiers.get(channel);
  try {
    if (!notifier) throw new Error(`channel "${channel}" could not be built`);
    const result = await notifyTest(notifier, channel, catalogSample(config.catalog), digest);
    if (result.kind === "ok") {
      const what = digest ? "sample digest" : "sample alert";
      process.stdout.write(
        `ok: ${what} sent through "${channel}"${result.detail ? ` (${result.detail})` : ""}\n`,
      );
      return 0;
    }
    process.stderr.write(`failed (${result.kind}): ${result.error}\n`);
    return 1;
  } finally {
    await Promise.all([...notifiers.values()].map((n) => n.close()));
  }
}

/** catalogSample is the sample alert with 131048's text from the catalog (config overrides applied). */
function catalogSample(overrides: Parameters<typeof createCatalog>[0]): Alert {
  const base = sampleAlert();
  const entry = createCatalog(overrides).get(131048);
  if (!entry) return base;
  return {
    ...base,
    title: entry.title,
    meaning: entry.meaning,
    causes: [...entry.causes],
    actions: [...entry.actions],
    docs_url: entry.docsUrl,
  };
}
