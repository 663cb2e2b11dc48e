// The HTTP surface (ingest routes, health, metrics, admin API) assembled for app.ts.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { adminRoutes, type DeadLetterAccess } from "./api/routes.js";
import type { AlertHistory } from "./alerts/history.js";
import type { SilenceStore } from "./alerts/silences.js";
import type { Config } from "./config/schema.js";
import type { EventBatch } from "./ingest/event.js";
import { ingestRoutes } from "./ingest/routes.js";
import type { Problem } from "./shared/problems.js";
import type { Logger } from "./shared/logger.js";
import type { Metrics } from "./shared/metrics.js";
import { parseSize } from "./config/sizes.js";
import type { RuleLoadResult, RuleSet } from "./rules/types.js";

/** ServerDeps are what the HTTP surface needs from the rest of the app. */
export interface ServerDeps {
  config: Config;
  log: Logger;
  metrics: Metrics;
  enqueue(batch: EventBatch): Promise<void>;
  /** ready resolves to undefined when the process can serve, else the reason it cannot. */
  ready(): Promise<string | undefined>;
  rules: { current(): RuleSet; lastProblems(): readonly Problem[]; reload(): Promise<RuleLoadResult> };
  history: AlertHistory;
  silences: SilenceStore;
  deadLetters?: DeadLetterAccess;
  now: () => number;
}

/** buildServer creates the Fastify instance with every route registered (not yet listening). */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { config, metrics } = deps;
  const bodyLimit = parseSize(config.server.body_limit) ?? 3 * 1024 * 1024;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit,
    disableRequestLogging: true,
    // Slow clients must not hold sockets forever (slow-loris); Meta finishes a POST in well under this.
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
  });

  await app.register(ingestRoutes, {
    appSecret: config.whatsapp.app_secret,
    verifyToken: config.whatsapp.verify_token,
    ingestToken: config.ingest.token,
    bodyLimit,
    enqueue: deps.enqueue,
    now: deps.now,
    observer: {
      received: (source, n) => metrics.eventsReceived.inc({ source }, n),
      enqueued: (source, n) => metrics.eventsEnqueued.inc({ source }, n),
      rejected: (source, reason) => metrics.requestsRejected.inc({ source, reason }),
    },
  });

  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    const reason = await deps.ready().catch((err: Error) => err.message);
    if (reason) return reply.code(503).send({ ready: false, reason });
    return { ready: true };
  });
  app.get("/metrics", async (_req, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  if (config.admin.token) {
    await app.register(adminRoutes, {
      prefix: "/api",
      token: config.admin.token,
      rules: deps.rules,
      history: deps.history,
      silences: deps.silences,
      ...(deps.deadLetters ? { deadLetters: deps.deadLetters } : {}),
      now: deps.now,
    });
  }
  return app;
}
