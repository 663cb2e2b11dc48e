// The second half of every Meta-envelope route (Meta's own and the relays'): parse, normalize, enqueue.
import type { FastifyReply, FastifyRequest } from "fastify";
import { sha256Hex } from "./ids.js";
import { normalizeWhatsApp } from "./normalize.js";
import { accept, type Outcome, reject } from "./respond.js";

/**
 * acceptEnvelope finishes a request whose sender is already authenticated: 400 when `raw` is not JSON or
 * not a WhatsApp envelope, else its events (tagged with `source`) are enqueued and answered as accept() does.
 */
export async function acceptEnvelope(
  out: Outcome,
  req: FastifyRequest,
  reply: FastifyReply,
  raw: Buffer,
  source: string,
  receivedAtMs: number,
): Promise<FastifyReply> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return reject(out, req, reply, source, 400, "invalid_json", "body is not valid JSON");
  }
  let hash: string | undefined;
  const bodyHash = () => {
    hash ??= sha256Hex(raw);
    return hash;
  };
  const result = normalizeWhatsApp(body, { receivedAtMs, bodyHash, source });
  if (!result.ok) {
    const message = `not a WhatsApp webhook envelope: ${result.reason}`;
    return reject(out, req, reply, source, 400, "not_envelope", message);
  }
  return accept(out, req, reply, source, result.events, receivedAtMs);
}

/** rawBody is the request's exact bytes as the ingest scope's parser kept them. */
export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}
