// Meta's endpoints: the GET verification handshake and the signed POST of webhook bodies.
import type { FastifyInstance } from "fastify";
import { acceptEnvelope, rawBody } from "./envelope-body.js";
import { type Outcome, reject } from "./respond.js";
import { secretEquals } from "../shared/secrets.js";
import { verifySignature } from "../shared/hmac.js";
import { SOURCE_WHATSAPP } from "./change-context.js";

/** WHATSAPP_PATH is the callback URL path to configure in Meta's App Dashboard. */
export const WHATSAPP_PATH = "/webhooks/whatsapp";

/** WhatsAppRouteOptions are the secrets the two routes check, plus how to finish a request. */
export interface WhatsAppRouteOptions {
  appSecret: string;
  verifyToken: string;
  bodyLimit: number;
  out: Outcome;
}

function queryString(q: unknown, name: string): string | undefined {
  const v = (q as Record<string, unknown> | undefined)?.[name];
  return typeof v === "string" ? v : undefined;
}

/** registerWhatsAppRoutes adds GET and POST /webhooks/whatsapp to `app` (whose parser keeps raw bytes). */
export function registerWhatsAppRoutes(app: FastifyInstance, opts: WhatsAppRouteOptions): void {
  const { out } = opts;

  app.get(WHATSAPP_PATH, async (req, reply) => {
    const mode = queryString(req.query, "hub.mode");
    const token = queryString(req.query, "hub.verify_token");
    const challenge = queryString(req.query, "hub.challenge");
    if (mode === "subscribe" && challenge !== undefined && secretEquals(token, opts.verifyToken)) {
      req.log.info("webhook verification handshake accepted");
      return reply.code(200).type("text/plain; charset=utf-8").send(challenge);
    }
    req.log.warn({ mode }, "webhook verification handshake refused (wrong mode, token or no challenge)");
    return reply.code(403).send({ error: "verification failed" });
  });

  app.post(WHATSAPP_PATH, { bodyLimit: opts.bodyLimit }, async (req, reply) => {
    const receivedAtMs = out.now();
    const raw = rawBody(req);
    const header = req.headers["x-hub-signature-256"];
    const signature = typeof header === "string" ? header : undefined;
    if (signature === undefined) {
      return reject(out, req, reply, SOURCE_WHATSAPP, 401, "bad_signature", "missing X-Hub-Signature-256");
    }
    if (!verifySignature(raw, signature, opts.appSecret)) {
      return reject(out, req, reply, SOURCE_WHATSAPP, 401, "bad_signature", "invalid X-Hub-Signature-256");
    }
    return acceptEnvelope(out, req, reply, raw, SOURCE_WHATSAPP, receivedAtMs);
  });
}
