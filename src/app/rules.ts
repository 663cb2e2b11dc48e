// The process's rules: loaded at start (invalid rules stop the start), watched, reloads reported.
import { createRuleRegistry, type RuleRegistry } from "../rules/registry.js";
import type { AppContext, Part } from "./context.js";

/** RulesPart is the rule registry and the readiness reason it gives. */
export interface RulesPart extends Part {
  readonly registry: RuleRegistry;
  /** notReady says why the process is not ready on the rules' account, or nothing. */
  notReady(): string | undefined;
}

/** buildRules loads the rules, keeps the rule metrics and logs every reload. */
export async function buildRules(ctx: AppContext): Promise<RulesPart> {
  const { config, loaded, log, metrics } = ctx;
  const registry = await createRuleRegistry(
    ctx.settings.rules.paths,
    {
      baseDir: loaded.dir,
      channels: Object.keys(config.channels),
      defaults: config.defaults,
      maxFileBytes: ctx.settings.rules.maxFileBytes,
      maxFiles: ctx.settings.rules.maxFiles,
    },
    {
      onReload(result) {
        if (result.ok) {
          metrics.rulesLoaded.set(result.set.rules.length);
          log.info({ rules: result.set.rules.length }, "rules reloaded");
          return;
        }
        metrics.ruleReloadFailures.inc();
        log.error(
          { problems: result.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`) },
          "rule reload rejected; keeping the last good rules",
        );
      },
    },
  );
  metrics.rulesLoaded.set(registry.current().rules.length);
  if (config.rules.watch) registry.watch();
  return {
    registry,
    notReady: () =>
      registry.current().rules.length === 0 && registry.lastProblems().length > 0
        ? "no rules could be loaded"
        : undefined,
    close: async () => registry.close(),
  };
}
