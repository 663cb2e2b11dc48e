// The HTTP surface (ingest routes, health, metrics, admin API) assembled for app.ts.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Queue } from "bullmq";
import { registerOpenApi } from "../api/openapi.js";
import { type AdminOptions, adminRoutes } from "../api/routes.js";
import { consoleRoutes, defaultConsoleDir } from "../api/console.js";
import type { Config } from "../config/schema.js";
import type { EventBatch } from "../model/event.js";
import { ingestRoutes } from "../ingest/routes.js";
import type { Logger } from "../shared/logger.js";
import { lazyChildLogger } from "../shared/request-logger.js";
import type { Metrics } from "../shared/metrics.js";
import type { Settings } from "../config/settings.js";
import { bearerMatches } from "../shared/secrets.js";
import { packageInfo } from "../shared/version.js";

/** ServerDeps are what the HTTP surface needs from the rest of the app: the admin API's collaborators and more. */
export interface ServerDeps extends Omit<AdminOptions, "token"> {
  config: Config;
  /** The config in final units (the body limit in bytes). */
  settings: Settings;
  log: Logger;
  metrics: Metrics;
  enqueue(batch: EventBatch): Promise<void>;
  /** ready resolves to undefined when the process can serve, else the reason it cannot. */
  ready(): Promise<string | undefined>;
  /** Where the built console is (default: dist/console). */
  consoleDir?: string;
  /** Queues shown by Bull Board under /admin/queues (with an admin token). */
  queues?: readonly Queue[];
  /** Request and connection timeouts in ms; tests shorten them, the product keeps DEFAULT_TIMEOUTS. */
  timeouts?: ServerTimeouts;
}

/** ServerTimeouts bound how long one request (headers and body) and one idle socket may take. */
export interface ServerTimeouts {
  requestMs: number;
  /** Defaults to requestMs. */
  connectionMs?: number;
  /** How often Node looks for expired requests (a cut-off lags by up to this much); Node's own default is 30 s. */
  checkEveryMs?: number;
}

/**
 * DEFAULT_TIMEOUTS are the product's: Meta finishes a POST in well under 30 s. Checking every 5 s (not
 * Node's 30 s) cuts a slow client off between 30 and 35 s rather than 30 and 60 s.
 */
export const DEFAULT_TIMEOUTS: Readonly<ServerTimeouts> = Object.freeze({
  requestMs: 30_000,
  connectionMs: 30_000,
  checkEveryMs: 5_000,
});

/** buildServer creates the Fastify instance with every route registered (not yet listening). */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { config, metrics } = deps;
  const bodyLimit = deps.settings.bodyLimitBytes;
  const timeouts = deps.timeouts ?? DEFAULT_TIMEOUTS;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit,
    // No line per request (a busy webhook would drown the log); refusals and errors log their own line.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger, bindings, options) => lazyChildLogger(logger, bindings, options),
    // An unknown query parameter or body key is a mistake to report (400), not to drop silently.
    ajv: { customOptions: { removeAdditional: false } },
    // Slow clients must not hold sockets forever (slow-loris): a request whose headers and body are
    // not complete within requestTimeout is answered 408 and its socket closed. Node's headersTimeout
    // (60 s by default) must not exceed requestTimeout, or Node swaps the two and lets a body trickle
    // on for 60 s.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs ?? timeouts.requestMs,
    http: {
      headersTimeout: timeouts.requestMs,
      ...(timeouts.checkEveryMs ? { connectionsCheckingInterval: timeouts.checkEveryMs } : {}),
    },
  });

  drainOnClose(app);

  await app.register(ingestRoutes, {
    appSecret: config.whatsapp.app_secret,
    verifyToken: config.whatsapp.verify_token,
    ingestToken: config.ingest.token,
    relays: config.ingest.relays,
    bodyLimit,
    enqueue: deps.enqueue,
    now: deps.now,
    observer: {
      received: (source, n) => metrics.eventsReceived.inc({ source }, n),
      enqueued: (source, n) => metrics.eventsEnqueued.inc({ source }, n),
      rejected: (source, reason) => metrics.requestsRejected.inc({ source, reason }),
    },
  });

  // With server.metrics_port, /metrics lives on its own listener (app.ts), off the public webhook port.
  probeRoutes(app, metrics, deps.ready, {
    metrics: (config.server.metrics_port ?? 0) === 0,
    token: config.server.metrics_token ?? "",
  });
  if (config.admin.token) {
    await registerOpenApi(app, packageInfo().version);
    await app.register(adminRoutes, {
      prefix: "/api",
      token: config.admin.token,
      rules: deps.rules,
      history: deps.history,
      silences: deps.silences,
      ...(deps.deadLetters ? { deadLetters: deps.deadLetters } : {}),
      ...(deps.stats ? { stats: deps.stats } : {}),
      ...(deps.dryRun ? { dryRun: deps.dryRun } : {}),
      now: deps.now,
    });
    await app.register(consoleRoutes, { dir: deps.consoleDir ?? defaultConsoleDir() });
    const board = config.admin.queue_board ?? "readonly";
    if (deps.queues?.length && board !== "off") {
      // Bull Board is the heaviest import of a start (~0.1–0.3 s): only a process that shows it loads it.
      const { bullBoard } = await import("../api/bull-board.js");
      await app.register(bullBoard, {
        token: config.admin.token,
        queues: deps.queues,
        mode: board,
        mask: config.alerts.mask_phone_numbers,
      });
    }
  }
  return app;
}

/**
 * drainOnClose lets close() finish promptly under load: requests still in flight answer with
 * `Connection: close`, and keep-alive sockets that turn idle after close() began are reaped at once
 * instead of holding the server open for the keep-alive timeout.
 */
function drainOnClose(app: FastifyInstance): void {
  let closing = false;
  let reaper: NodeJS.Timeout | undefined;
  app.addHook("preClose", async () => {
    closing = true;
    reaper = setInterval(() => app.server.closeIdleConnections(), 50);
    reaper.unref();
  });
  app.addHook("onClose", async () => {
    clearInterval(reaper);
  });
  app.addHook("onSend", async (_req, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });
}

/** MetricsRoute says whether a server offers /metrics and the bearer token it asks for (empty: none). */
interface MetricsRoute {
  readonly metrics: boolean;
  readonly token: string;
}

/**
 * probeRoutes adds /healthz (alive), /readyz (200, or 503 with the reason) and, unless `route.metrics` is
 * false, /metrics, behind `route.token` when one is set (probes stay open: orchestrators call them bare).
 */
function probeRoutes(
  app: FastifyInstance,
  metrics: Metrics,
  ready: () => Promise<string | undefined>,
  route: MetricsRoute,
): void {
  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    const reason = await ready().catch((err: Error) => err.message);
    if (reason) return reply.code(503).send({ ready: false, reason });
    return { ready: true };
  });
  if (!route.metrics) return;
  app.get("/metrics", async (req, reply) => {
    if (route.token !== "" && !bearerMatches(req.headers.authorization, route.token)) {
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="waba-alerts metrics"')
        .send({ error: "missing or wrong bearer token (server.metrics_token)" });
    }
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

/**
 * buildMetricsServer is the HTTP surface of a `worker` process (workers.metrics_port) or of serve/start's
 * server.metrics_port: /metrics (behind `token` when set), /healthz and /readyz, nothing else.
 */
export function buildMetricsServer(
  metrics: Metrics,
  log: Logger,
  ready: () => Promise<string | undefined>,
  token = "",
): FastifyInstance {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // No line per request (a busy webhook would drown the log); refusals and errors log their own line.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger, bindings, options) => lazyChildLogger(logger, bindings, options),
    forceCloseConnections: true,
  });
  probeRoutes(app, metrics, ready, { metrics: true, token });
  return app;
}
