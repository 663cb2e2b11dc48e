// The process's rules: loaded at start (invalid rules stop the start), watched, reloads reported and shared.
import { startBroadcast } from "../queue/broadcast.js";
import { createRuleRegistry, type ReloadOrigin, type RuleRegistry } from "../rules/registry.js";
import type { AppContext, Part } from "./context.js";
import type { StatePart } from "./state.js";

/** RulesPart is the rule registry and the readiness reason it gives. */
export interface RulesPart extends Part {
  readonly registry: RuleRegistry;
  /** When the rule files were first read (ms): reloads other processes make after it reach this one. */
  readonly loadedAt: number;
  /** notReady says why the process is not ready on the rules' account, or nothing. */
  notReady(): string | undefined;
  /** onLocalReload adds a listener called after every reload this process made of its own accord (watch, API). */
  onLocalReload(listener: () => void): void;
}

/** buildRules loads the rules, keeps the rule metrics and logs every reload. */
export async function buildRules(ctx: AppContext): Promise<RulesPart> {
  const { config, loaded, log, metrics } = ctx;
  const listeners: Array<() => void> = [];
  // Taken before the files are read: a reload another process makes from now on must reach this one.
  const loadedAt = Date.now();
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
      onReload(result, origin: ReloadOrigin) {
        const from = origin === "remote" ? { asked_by: "another process" } : {};
        if (origin === "local") for (const listener of listeners) listener();
        if (result.ok) {
          metrics.rulesLoaded.set(result.set.rules.length);
          log.info({ rules: result.set.rules.length, ...from }, "rules reloaded");
          return;
        }
        metrics.ruleReloadFailures.inc();
        log.error(
          { problems: result.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`), ...from },
          "rule reload rejected; keeping the last good rules",
        );
      },
    },
  );
  metrics.rulesLoaded.set(registry.current().rules.length);
  if (config.rules.watch) registry.watch();
  return {
    registry,
    loadedAt,
    notReady: () =>
      registry.current().rules.length === 0 && registry.lastProblems().length > 0
        ? "no rules could be loaded"
        : undefined,
    onLocalReload: (listener) => listeners.push(listener),
    close: async () => registry.close(),
  };
}

/**
 * shareReloads makes a reload anywhere a reload everywhere: after this process reloads of its own accord it
 * tells the others over Redis, and when another process did, this one reloads its own rule files.
 */
export function shareReloads(ctx: AppContext, state: StatePart, rules: RulesPart): Part {
  const { prefix } = ctx.config.redis;
  const broadcast = startBroadcast({
    redis: state.redis,
    target: ctx.config.redis,
    key: `{${prefix}}:rules:version`,
    channel: `${prefix}:rules:reload`,
    heard: () => {
      rules.registry.reload("remote").catch(() => undefined);
    },
    log: ctx.log,
    since: rules.loadedAt,
  });
  rules.onLocalReload(() => {
    broadcast
      .send()
      .catch((err: Error) =>
        ctx.log.warn({ err: err.message }, "could not tell the other processes about a rule reload"),
      );
  });
  return broadcast;
}
