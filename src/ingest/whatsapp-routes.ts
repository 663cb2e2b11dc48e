// Meta's endpoints: the GET verification handshake and the signed POST of webhook bodies.
import type { FastifyInstance } from "fastify";
import { sha256Hex } from "./ids.js";
import { normalizeWhatsApp } from "./normalize.js";
import { accept, type Outcome, reject } from "./respond.js";
import { secretEquals } from "./secure-compare.js";
import { verifySignature } from "./signature.js";
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
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const header = req.headers["x-hub-signature-256"];
    const signature = typeof header === "string" ? header : undefined;
    if (signature === undefined) {
      return reject(out, req, reply, SOURCE_WHATSAPP, 401, "bad_signature", "missing X-Hub-Signature-256");
    }
    if (!verifySignature(raw, signature, opts.appSecret)) {
      return reject(out, req, reply, SOURCE_WHATSAPP, 401, "bad_signature", "invalid X-Hub-Signature-256");
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      return reject(out, req, reply, SOURCE_WHATSAPP, 400, "invalid_json", "body is not valid JSON");
    }
    let hash: string | undefined;
    const bodyHash = () => {
      hash ??= sha256Hex(raw);
      return hash;
    };
    const result = normalizeWhatsApp(body, { receivedAtMs, bodyHash });
    if (!result.ok) {
      const message = `not a WhatsApp webhook envelope: ${result.reason}`;
      return reject(out, req, reply, SOURCE_WHATSAPP, 400, "not_envelope", message);
    }
    return accept(out, req, reply, SOURCE_WHATSAPP, result.events, receivedAtMs);
  });
}
