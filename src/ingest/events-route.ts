// POST /events: generic events from other sources, behind a bearer token; off when no token is configured.
import type { FastifyInstance } from "fastify";
import { parseGenericEvents, SOURCE_GENERIC } from "./generic.js";
import { rawBody } from "./envelope-body.js";
import { accept, type Outcome, reject } from "./respond.js";
import { bearerToken, secretEquals } from "../shared/secrets.js";

/** EVENTS_PATH is where generic sources post their events. */
export const EVENTS_PATH = "/events";

/** EventsRouteOptions are the bearer token (empty = endpoint off) and how to finish a request. */
export interface EventsRouteOptions {
  ingestToken: string;
  bodyLimit: number;
  out: Outcome;
}

/** registerEventsRoute adds POST /events to `app` (whose parser keeps raw bytes). */
export function registerEventsRoute(app: FastifyInstance, opts: EventsRouteOptions): void {
  const { out } = opts;
  app.post(EVENTS_PATH, {
    bodyLimit: opts.bodyLimit,
    // Authenticate before the body is read, so strangers cannot make us buffer megabytes.
    onRequest: async (req, reply) => {
      if (opts.ingestToken === "") return reply.code(404).send({ error: "not found" });
      if (!secretEquals(bearerToken(req.headers.authorization), opts.ingestToken)) {
        return reject(out, req, reply, SOURCE_GENERIC, 401, "unauthorized", "missing or wrong bearer token");
      }
    },
    handler: async (req, reply) => {
      const receivedAtMs = out.now();
      const raw = rawBody(req);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return reject(out, req, reply, SOURCE_GENERIC, 400, "invalid_json", "body is not valid JSON");
      }
      const result = parseGenericEvents(body, receivedAtMs);
      if (!result.ok) return reject(out, req, reply, SOURCE_GENERIC, 400, "invalid_event", result.reason);
      return accept(out, req, reply, SOURCE_GENERIC, result.events, receivedAtMs);
    },
  });
}
