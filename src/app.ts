// The one place that wires the stages together: ingest → events queue → evaluate → alerts → route → notify.
import type { FastifyInstance } from "fastify";
import type { AppContext, AppOptions, Part } from "./app/context.js";
import { buildEvaluate, type EvaluatePart } from "./app/evaluate.js";
import { buildHttp } from "./app/http.js";
import { buildNotify } from "./app/notify.js";
import { buildRules, shareReloads } from "./app/rules.js";
import { buildState } from "./app/state.js";
import { createMetrics, type Metrics } from "./shared/metrics.js";

export type { AppMode, AppOptions } from "./app/context.js";
export { DRY_RUN_MAX_EVENTS } from "./app/http.js";
export { RESOLVE_INTERVAL_MS } from "./app/evaluate.js";

/** App is a running waba-alerts process; `close` shuts it down gracefully. */
export interface App {
  readonly server?: FastifyInstance;
  readonly metrics: Metrics;
  /** resolveNow runs one resolver pass at once (workers only) and says how many firings resolved. */
  readonly resolveNow?: () => Promise<number>;
  /** sweepNow runs one absence pass at once (workers only) and says how many silences fired. */
  readonly sweepNow?: () => Promise<number>;
  /** listen starts the HTTP server (serve/start, or a worker's probe port) and resolves to its address. */
  listen(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** buildApp wires every stage for one process according to `mode`. */
export async function buildApp(options: AppOptions): Promise<App> {
  const { loaded, mode, log } = options;
  const ctx: AppContext = {
    options,
    loaded,
    config: loaded.config,
    settings: loaded.settings,
    log,
    metrics: createMetrics(),
    now: options.now ?? Date.now,
  };
  // Rules first: invalid rules stop the start before any connection is opened.
  const rules = await buildRules(ctx);
  const state = buildState(ctx);
  const reloads = shareReloads(ctx, state, rules);
  const http = mode === "worker" ? undefined : await buildHttp(ctx, state, rules);
  const evaluate: EvaluatePart | undefined = mode === "serve" ? undefined : buildEvaluate(ctx, state, rules);
  const notify = mode === "serve" ? undefined : buildNotify(ctx, state);
  // A worker's probes (workers.metrics_port), or serve/start's /metrics off the webhook port (server.metrics_port).
  const probePort = mode === "worker" ? ctx.config.workers.metrics_port : (ctx.config.server.metrics_port ?? 0);
  const probes = probePort > 0 ? await buildProbes(ctx, state, rules) : undefined;
  const server = http?.server ?? probes?.server;

  // Shutdown, top to bottom: stop taking requests (those in flight finish and are queued), finish the
  // batches and deliveries in progress, then let go of Redis and the rule files.
  const shutdown: Array<Part | undefined> = [http, probes, evaluate, notify, reloads, state, rules];
  return {
    ...(server ? { server } : {}),
    metrics: ctx.metrics,
    ...(evaluate ? { resolveNow: () => evaluate.resolveNow(), sweepNow: () => evaluate.sweepNow() } : {}),
    async listen() {
      const host = ctx.config.server.host;
      const probing = probes ? await probes.server.listen({ host, port: probePort }) : undefined;
      return http ? http.server.listen({ host, port: ctx.config.server.port }) : probing;
    },
    async close() {
      const parts = shutdown.filter((p): p is Part => p !== undefined);
      for (const [i, part] of parts.entries()) {
        try {
          log.debug({ step: i + 1, of: parts.length }, "shutdown step");
          await part.close();
        } catch (err) {
          log.warn({ err: (err as Error).message }, "error while shutting down");
        }
      }
    },
  };
}

/**
 * buildProbes gives a process its own /metrics, /healthz and /readyz listener (behind server.metrics_token
 * when set). Its state connection reconnects for ever, so "not ready" means Redis does not answer right now.
 */
async function buildProbes(
  ctx: AppContext,
  state: ReturnType<typeof buildState>,
  rules: Awaited<ReturnType<typeof buildRules>>,
): Promise<Part & { server: FastifyInstance }> {
  const { buildMetricsServer } = await import("./app/server.js");
  const server = buildMetricsServer(
    ctx.metrics,
    ctx.log,
    async () => (state.redis.status === "ready" ? rules.notReady() : "Redis is not answering"),
    ctx.config.server.metrics_token ?? "",
  );
  return { server, close: () => server.close() };
}
