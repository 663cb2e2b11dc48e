// The HTTP side of a `serve` or `start` process: ingest into the events queue, the admin API, the console.
import type { FastifyInstance } from "fastify";
import { createCatalog } from "../catalog/index.js";
import { listDeadLetters, retryDeadLetter } from "../notify/dead-letters.js";
import { createEventsProducer } from "../queue/events.js";
import { createStatsReader } from "../stats/index.js";
import type { AppContext, Part } from "./context.js";
import type { RulesPart } from "./rules.js";
import { type StatePart, statsShards } from "./state.js";

/** DRY_RUN_MAX_EVENTS bounds one console dry run, so a paste cannot stall the server for long. */
export const DRY_RUN_MAX_EVENTS = 5000;

/** HttpPart is the HTTP server with what feeds it; closing stops taking requests, then the queue writer. */
export interface HttpPart extends Part {
  readonly server: FastifyInstance;
}

/** buildHttp builds the server; Fastify, the admin API and Bull Board load only in processes that serve. */
export async function buildHttp(ctx: AppContext, state: StatePart, rules: RulesPart): Promise<HttpPart> {
  const { config, settings, log, metrics, now } = ctx;
  const { prefix } = config.redis;
  const { buildServer } = await import("./server.js");
  const { openQueueViews } = await import("../api/queue-views.js");
  const events = createEventsProducer({ ...config.redis, log });
  const views = openQueueViews(config.redis);
  metrics.setQueueDepthSource(() => views.counts());
  const catalog = createCatalog(config.catalog);
  const server = await buildServer({
    config,
    settings,
    log,
    metrics,
    enqueue: (batch) => events.enqueue(batch),
    ready: async () => ((await events.ping()) ? rules.notReady() : "Redis is not answering"),
    rules: rules.registry,
    history: state.history,
    silences: state.silences,
    deadLetters: {
      list: (limit) => listDeadLetters(state.redis, prefix, limit),
      retry: async (id) => (await retryDeadLetter(state.redis, prefix, id, state.producer)) !== undefined,
    },
    queues: views.queues,
    stats: createStatsReader(state.redis, prefix, statsShards(config.redis)),
    dryRun: async (text) => {
      const { dryRunText } = await import("../dryrun/text.js");
      const deps = {
        rules: rules.registry.current(),
        catalog,
        maxSamples: config.alerts.samples,
        maskPhoneNumbers: config.alerts.mask_phone_numbers,
        maxFutureSkewMs: settings.rules.maxFutureSkewMs,
        maxWindowEntries: settings.rules.maxWindowEntries,
      };
      return dryRunText(text, "pasted", deps, DRY_RUN_MAX_EVENTS);
    },
    now,
  });
  return {
    server,
    async close() {
      // In-flight requests finish (and their batches are written) before the queue writer closes.
      await server.close();
      await views.close();
      await events.close();
    },
  };
}
