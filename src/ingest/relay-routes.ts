// POST /webhooks/relay/:name: Meta envelopes forwarded by a BSP that cannot pass on Meta's signature.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { acceptEnvelope, rawBody } from "./envelope-body.js";
import { type Outcome, reject } from "./respond.js";
import { bearerToken, secretEquals } from "../shared/secrets.js";
import { verifySignature } from "../shared/hmac.js";

/** RELAY_PATH is where a configured relay posts; `:name` is its key under `ingest.relays`. */
export const RELAY_PATH = "/webhooks/relay/:name";

/**
 * RelayConfig authenticates one relay: a bearer `token`, or an HMAC-SHA256 `secret` whose `sha256=<hex>`
 * signature of the raw body arrives in `header`. A relay whose token and secret are both empty is off.
 */
export interface RelayConfig {
  readonly token?: string;
  readonly secret?: string;
  readonly header?: string;
}

/** RelayRouteOptions are the configured relays and how to finish a request. */
export interface RelayRouteOptions {
  relays: Readonly<Record<string, RelayConfig>>;
  bodyLimit: number;
  out: Outcome;
}

/** relayNamed is the active relay called `name` (own keys only: "__proto__" is no relay), or undefined. */
export function relayNamed(
  relays: Readonly<Record<string, RelayConfig>>,
  name: string | undefined,
): RelayConfig | undefined {
  if (name === undefined || !Object.hasOwn(relays, name)) return undefined;
  const relay = relays[name];
  return relay && (relay.token || relay.secret) ? relay : undefined;
}

function nameOf(req: FastifyRequest): string | undefined {
  const name = (req.params as Record<string, unknown> | undefined)?.name;
  return typeof name === "string" ? name : undefined;
}

/** registerRelayRoutes adds POST /webhooks/relay/:name to `app` (whose parser keeps raw bytes). */
export function registerRelayRoutes(app: FastifyInstance, opts: RelayRouteOptions): void {
  const { out } = opts;
  app.post(RELAY_PATH, {
    bodyLimit: opts.bodyLimit,
    // A token is checked before the body is read, so strangers cannot make us buffer megabytes.
    onRequest: async (req, reply) => {
      const name = nameOf(req);
      const relay = relayNamed(opts.relays, name);
      if (!relay || name === undefined) return reply.code(404).send({ error: "not found" });
      if (relay.token && !secretEquals(bearerToken(req.headers.authorization), relay.token)) {
        return reject(out, req, reply, name, 401, "unauthorized", "missing or wrong bearer token");
      }
    },
    handler: async (req, reply) => {
      const receivedAtMs = out.now();
      const name = nameOf(req) as string;
      const relay = relayNamed(opts.relays, name) as RelayConfig;
      const raw = rawBody(req);
      if (!relay.token) {
        const headerName = (relay.header ?? "").toLowerCase();
        const value = req.headers[headerName];
        const signature = typeof value === "string" ? value : undefined;
        if (!verifySignature(raw, signature, relay.secret ?? "")) {
          const what = signature === undefined ? "missing" : "invalid";
          return reject(out, req, reply, name, 401, "bad_signature", `${what} ${relay.header} signature`);
        }
      }
      return acceptEnvelope(out, req, reply, raw, name, receivedAtMs);
    },
  });
}
