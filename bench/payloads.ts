// Signed Meta webhook bodies for the bench: unique statuses (95 % delivered / 5 % errors), storms, triggers.
import { createHmac } from "node:crypto";

/** SignedBody is one pre-generated request: the exact bytes and their X-Hub-Signature-256. */
export interface SignedBody {
  readonly body: Buffer;
  readonly signature: string;
}

/** Mix says what the statuses of a body are. */
export type Mix = "mixed" | "storm";

/** MIXED_ERROR_CODES are the error codes the 5 % failed statuses cycle through. */
export const MIXED_ERROR_CODES = [131026, 131049, 131047, 130472, 131048, 131053] as const;

/** STORM_CODE is the code of every event of an error storm (spam rate limit). */
export const STORM_CODE = 131048;

const WABA_ID = "102290129340398";
const NUMBERS = 20;
const STORM_NUMBERS = 3;

/** sign computes Meta's header value for `body` under `secret`. */
export function sign(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function phone(n: number): { id: string; display: string } {
  return { id: `10654035224${String(n).padStart(4, "0")}`, display: `1555078${String(n).padStart(4, "0")}` };
}

function errorOf(code: number): string {
  return `"errors":[{"code":${code},"title":"Error ${code}","message":"Error ${code}","error_data":{"details":"bench"}}]`;
}

function status(run: string, seq: number, ts: number, code: number | undefined): string {
  const id = `wamid.B${run}x${seq}`;
  const to = `1646${String(seq % 10_000_000).padStart(7, "0")}`;
  if (code === undefined) {
    return `{"id":"${id}","status":"delivered","timestamp":"${ts}","recipient_id":"${to}","conversation":{"id":"c${seq % 1000}","origin":{"type":"marketing"}},"pricing":{"billable":true,"pricing_model":"CBP","category":"marketing"}}`;
  }
  return `{"id":"${id}","status":"failed","timestamp":"${ts}","recipient_id":"${to}",${errorOf(code)}}`;
}

/** envelope wraps statuses of one business number into a Meta webhook body. */
export function envelope(phoneId: string, display: string, statuses: string[]): string {
  return `{"object":"whatsapp_business_account","entry":[{"id":"${WABA_ID}","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"${display}","phone_number_id":"${phoneId}"},"statuses":[${statuses.join(",")}]}}]}]}`;
}

/** BodyPlan describes a batch of bodies to pre-generate. */
export interface BodyPlan {
  /** Unique per bench run and step, so no event id repeats across steps. */
  readonly run: string;
  readonly bodies: number;
  readonly statusesPerBody: number;
  readonly mix: Mix;
  readonly secret: string;
}

/**
 * generateBodies builds `bodies` signed bodies. In `mixed`, every 20th status is a failure with a
 * code from MIXED_ERROR_CODES on one of 20 numbers; in `storm`, every status is 131048 on 3 numbers.
 */
export function generateBodies(plan: BodyPlan): SignedBody[] {
  const ts = Math.floor(Date.now() / 1000);
  const out: SignedBody[] = [];
  let seq = 0;
  for (let b = 0; b < plan.bodies; b++) {
    const n = plan.mix === "storm" ? b % STORM_NUMBERS : b % NUMBERS;
    const { id, display } = phone(n);
    const statuses: string[] = [];
    for (let s = 0; s < plan.statusesPerBody; s++, seq++) {
      const code =
        plan.mix === "storm"
          ? STORM_CODE
          : seq % 20 === 0
            ? MIXED_ERROR_CODES[(seq / 20) % MIXED_ERROR_CODES.length]
            : undefined;
      statuses.push(status(plan.run, seq, ts, code));
    }
    const body = Buffer.from(envelope(id, display, statuses));
    out.push({ body, signature: sign(body, plan.secret) });
  }
  return out;
}

/** LATENCY_CODE is the code only alert-latency triggers send (a dedicated rule counts it). */
export const LATENCY_CODE = 131056;

/** LATENCY_BURST is how many LATENCY_CODE events make one crossing (the rule says more_than: 2). */
export const LATENCY_BURST = 3;

/** triggerBody is one crossing of the latency rule: LATENCY_BURST events on a fresh number `tag`. */
export function triggerBody(run: string, tag: string, secret: string): SignedBody {
  const ts = Math.floor(Date.now() / 1000);
  const statuses = Array.from({ length: LATENCY_BURST }, (_, i) =>
    `{"id":"wamid.L${run}${tag}x${i}","status":"failed","timestamp":"${ts}","recipient_id":"15550001${i}",${errorOf(LATENCY_CODE)}}`,
  );
  const body = Buffer.from(envelope(tag, tag, statuses));
  return { body, signature: sign(body, secret) };
}
