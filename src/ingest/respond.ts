// The two ways an ingest request ends: rejected with a reason (logged, counted) or accepted after enqueue.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Event, EventBatch } from "../model/event.js";

/** IngestObserver is told about every request's outcome; the app wires it to Prometheus counters. */
export interface IngestObserver {
  received(source: string, events: number): void;
  enqueued(source: string, events: number): void;
  rejected(source: string, reason: string): void;
}

/**
 * RejectReason is the short, fixed label of a refusal: it becomes a metric label, so it never carries
 * anything taken from the request.
 */
export type RejectReason =
  | "bad_signature"
  | "unauthorized"
  | "invalid_json"
  | "not_envelope"
  | "invalid_event"
  | "too_large"
  | "bad_request"
  | "unavailable"
  | "internal";

/** RETRY_AFTER_SECONDS is what a 503 asks the sender to wait before retrying. */
export const RETRY_AFTER_SECONDS = 5;

/** Outcome is what a route needs to finish a request: its source, the observer and the enqueue function. */
export interface Outcome {
  readonly observer: IngestObserver | undefined;
  readonly enqueue: (batch: EventBatch) => Promise<void>;
  readonly now: () => number;
}

/**
 * reject answers `{error: message}` with `status`, logs one line with the reason (never the body) and
 * counts it. `detail` goes to the log only: internal causes (Redis addresses) are not the caller's business.
 */
export function reject(
  out: Outcome,
  req: FastifyRequest,
  reply: FastifyReply,
  source: string,
  status: number,
  reason: RejectReason,
  message: string,
  detail?: string,
): FastifyReply {
  const log =
    status >= 500 && reason !== "unavailable" ? req.log.error.bind(req.log) : req.log.warn.bind(req.log);
  const line = detail === undefined ? message : `${message}: ${detail}`;
  log({ source, reason, statusCode: status, url: req.url.split("?")[0] }, `ingest rejected: ${line}`);
  out.observer?.rejected(source, reason);
  if (status === 503) reply.header("retry-after", String(RETRY_AFTER_SECONDS));
  return reply.code(status).send({ error: message });
}

function countBySource(events: readonly Event[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.source, (counts.get(e.source) ?? 0) + 1);
  return counts;
}

/**
 * accept enqueues every event of the request as one batch and answers 200 only once that resolved; a body
 * with no events is answered 200 without touching the queue. An enqueue failure becomes 503 + Retry-After.
 */
export async function accept(
  out: Outcome,
  req: FastifyRequest,
  reply: FastifyReply,
  source: string,
  events: Event[],
  receivedAtMs: number,
): Promise<FastifyReply> {
  if (events.length === 0) return reply.code(200).send({ ok: true, events: 0 });
  const counts = countBySource(events);
  for (const [s, n] of counts) out.observer?.received(s, n);
  try {
    await out.enqueue({ received_at: receivedAtMs, events });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return reject(out, req, reply, source, 503, "unavailable", "events queue unavailable, retry later", why);
  }
  for (const [s, n] of counts) out.observer?.enqueued(s, n);
  return reply.code(200).send({ ok: true, events: events.length });
}
