// The ingest Fastify plugin: raw-body parsing in its own scope, Meta's webhook routes and POST /events.
import type { FastifyError, FastifyPluginAsync } from "fastify";
import type { EventBatch } from "../model/event.js";
import { SOURCE_WHATSAPP } from "./change-context.js";
import { EVENTS_PATH, registerEventsRoute } from "./events-route.js";
import { SOURCE_GENERIC } from "./generic.js";
import { RELAY_PATH, type RelayConfig, registerRelayRoutes, relayNamed } from "./relay-routes.js";
import { type IngestObserver, type Outcome, type RejectReason, reject } from "./respond.js";
import { registerWhatsAppRoutes } from "./whatsapp-routes.js";

export type { IngestObserver } from "./respond.js";
export type { RelayConfig } from "./relay-routes.js";

/** IngestOptions configure the ingest routes: secrets, body limit and where accepted batches go. */
export interface IngestOptions {
  /** HMAC key of X-Hub-Signature-256 (the Meta app secret). */
  appSecret: string;
  /** The token Meta echoes in the GET verification handshake. */
  verifyToken: string;
  /** Bearer token of POST /events; empty turns that endpoint off (404). */
  ingestToken: string;
  /** BSPs that forward Meta's envelope to POST /webhooks/relay/NAME, by NAME. */
  relays?: Readonly<Record<string, RelayConfig>>;
  /** Largest accepted body in bytes; bigger requests get 413. */
  bodyLimit: number;
  /** enqueue durably stores one batch; its rejection turns into 503. */
  enqueue(batch: EventBatch): Promise<void>;
  observer?: IngestObserver;
  /** Clock in unix ms (tests pin it). */
  now?: () => number;
}

function reasonFor(status: number): RejectReason {
  if (status === 413) return "too_large";
  if (status >= 500) return "internal";
  return "bad_request";
}

/** sourceOf is the metric label of a failed request: the route's source (a relay's name only when configured). */
function sourceOf(
  url: string | undefined,
  params: unknown,
  relays: Readonly<Record<string, RelayConfig>>,
): string {
  if (url === EVENTS_PATH) return SOURCE_GENERIC;
  if (url !== RELAY_PATH) return SOURCE_WHATSAPP;
  const name = (params as Record<string, unknown> | undefined)?.name;
  return typeof name === "string" && relayNamed(relays, name) ? name : "relay";
}

/** SOURCE_OTHER is the metric label of events whose `source` names no configured source. */
export const SOURCE_OTHER = "other";

/**
 * labelledObserver passes only configured source names to the metrics (whatsapp, generic, the relays'
 * names); any other `source` an event gives itself counts as `other`, so a token holder cannot add label
 * values (time series) without bound. The events keep their own `source` fact for rules.
 */
function labelledObserver(
  observer: IngestObserver | undefined,
  relays: Readonly<Record<string, RelayConfig>>,
): IngestObserver | undefined {
  if (!observer) return undefined;
  const known = new Set([SOURCE_WHATSAPP, SOURCE_GENERIC, ...Object.keys(relays)]);
  const label = (source: string) => (known.has(source) ? source : SOURCE_OTHER);
  return {
    received: (source, n) => observer.received(label(source), n),
    enqueued: (source, n) => observer.enqueued(label(source), n),
    rejected: (source, reason) => observer.rejected(label(source), reason),
  };
}

/**
 * ingestRoutes registers GET/POST /webhooks/whatsapp, POST /webhooks/relay/:name and POST /events. It is deliberately not wrapped in
 * fastify-plugin: its catch-all Buffer parser and error handler stay inside this scope, so the rest of
 * the server keeps Fastify's JSON parsing.
 */
export const ingestRoutes: FastifyPluginAsync<IngestOptions> = async (app, opts) => {
  const out: Outcome = {
    observer: labelledObserver(opts.observer, opts.relays ?? {}),
    enqueue: opts.enqueue,
    now: opts.now ?? Date.now,
  };

  // The signature covers the exact bytes Meta sent, so nothing may parse (and re-serialize) them first.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: opts.bodyLimit }, (_req, body, done) => {
    done(null, body);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
    const source = sourceOf(req.routeOptions.url, req.params, opts.relays ?? {});
    const message =
      status === 413
        ? `body larger than ${opts.bodyLimit} bytes`
        : status >= 500
          ? "internal error"
          : err.message;
    return reject(
      out,
      req,
      reply,
      source,
      status,
      reasonFor(status),
      message,
      status >= 500 ? err.message : undefined,
    );
  });

  registerWhatsAppRoutes(app, {
    appSecret: opts.appSecret,
    verifyToken: opts.verifyToken,
    bodyLimit: opts.bodyLimit,
    out,
  });
  registerEventsRoute(app, { ingestToken: opts.ingestToken, bodyLimit: opts.bodyLimit, out });
  registerRelayRoutes(app, { relays: opts.relays ?? {}, bodyLimit: opts.bodyLimit, out });
};
