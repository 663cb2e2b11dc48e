// Builds the routing stage of one worker process from the config: routes, per-channel grouping, digests in Redis.
import type { RedisClient } from "../queue/redis-client.js";
import type { Config } from "../config/schema.js";
import type { Settings } from "../config/settings.js";
import type { Alert } from "../model/alert.js";
import type { Logger } from "../shared/logger.js";
import { createDigestStore } from "./digest-store.js";
import { type Flusher, startDigestFlusher } from "./flusher.js";
import { type GroupSpec, groupSpecOf } from "./grouping.js";
import { createRouter, type Router } from "./router.js";
import { compileRoutes } from "./routes.js";
import type { Notification } from "../model/notification.js";

/** RoutingOptions are what a worker process needs to route alerts. */
export interface RoutingOptions {
  readonly config: Config;
  readonly settings: Settings;
  readonly redis: RedisClient;
  readonly prefix: string;
  deliver(notifications: Notification[]): Promise<void>;
  gathered?(channel: string, alert: Alert): void;
  readonly log: Logger;
  readonly now: () => number;
  /** How often to look for digests to send (default 1 s). */
  readonly tickMs?: number;
}

/** Routing is the running stage: dispatch alerts; closing stops the digest loop. */
export interface Routing extends Router {
  readonly flusher: Flusher;
  close(): Promise<void>;
}

/** startRouting builds the router over the config's routes and channels and starts the digest loop. */
export function startRouting(opts: RoutingOptions): Routing {
  const { config } = opts;
  const specs = new Map<string, GroupSpec | undefined>(
    Object.entries(config.channels).map(([name, channel]) => [
      name,
      groupSpecOf(channel, opts.settings.channels[name]?.groupIntervalMs),
    ]),
  );
  const digests = createDigestStore(opts.redis, opts.prefix, undefined, opts.settings.retention.digestGroups);
  const router = createRouter({
    routes: compileRoutes(config.routes),
    grouping: (channel) => specs.get(channel),
    sendsResolved: (channel) => config.channels[channel]?.send_resolved !== false,
    digests,
    deliver: opts.deliver,
    ...(opts.gathered ? { gathered: opts.gathered } : {}),
    now: opts.now,
  });
  const flusher = startDigestFlusher({
    store: digests,
    deliver: opts.deliver,
    ...(opts.tickMs !== undefined ? { intervalMs: opts.tickMs } : {}),
    log: opts.log.child({ component: "digests" }),
    now: opts.now,
  });
  return { dispatch: router.dispatch, channelsOf: router.channelsOf, flusher, close: () => flusher.close() };
}
