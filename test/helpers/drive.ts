// Drives an in-process engine like Meta would: signed bodies of chosen statuses in, then wait for the workers.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import { expect } from "vitest";
import type { App } from "../../src/app.js";
import { signBody } from "../../src/shared/hmac.js";
import { ADMIN, metaEnvelope, PHONE, SECRET, waitFor } from "./engine.js";

/** StatusSpec is one failed (or plain) status of a test body. */
export interface StatusSpec {
  /** Unix seconds. */
  readonly time: number;
  readonly recipient?: string;
  readonly code?: number;
  readonly details?: string;
  readonly status?: string;
  readonly id?: string;
}

/** metaBody is a Meta `messages` webhook body carrying `statuses` for `phone`. */
export function metaBody(statuses: readonly StatusSpec[], phone = PHONE): string {
  const run = randomUUID().slice(0, 8);
  const items = statuses.map((s, i) => ({
    id: s.id ?? `wamid.T${run}x${i}`,
    status: s.status ?? "failed",
    timestamp: String(s.time),
    recipient_id: s.recipient ?? "15551234000",
    ...(s.status === undefined || s.status === "failed"
      ? {
          errors: [
            {
              code: s.code ?? 131048,
              title: "An error",
              message: "An error",
              ...(s.details ? { error_data: { details: s.details } } : {}),
            },
          ],
        }
      : {}),
  }));
  return metaEnvelope(items, phone);
}

/** windowHits is how many matched events the engine's windows have handled so far (all outcomes). */
export async function windowHits(app: App): Promise<number> {
  const text = await app.metrics.registry.getSingleMetricAsString("waba_alerts_window_outcomes_total");
  return [...text.matchAll(/^waba_alerts_window_outcomes_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/** outcomes reads waba_alerts_window_outcomes_total by outcome label. */
export async function outcomes(app: App): Promise<Record<string, number>> {
  const text = await app.metrics.registry.getSingleMetricAsString("waba_alerts_window_outcomes_total");
  return Object.fromEntries(
    [...text.matchAll(/outcome="([a-z]+)"\} (\d+)/g)].map((m) => [m[1] as string, Number(m[2])]),
  );
}

/** post signs and posts a body, expects 200, and waits until the workers handled `hits` more window hits. */
export async function post(app: App, body: string, hits: number): Promise<void> {
  const before = await windowHits(app);
  const res = await app.server!.inject({
    method: "POST",
    url: "/webhooks/whatsapp",
    payload: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, SECRET) },
  });
  expect(res.statusCode).toBe(200);
  await waitFor(async () => ((await windowHits(app)) >= before + hits ? true : undefined), 10_000, "evaluation");
}

/** AlertView is an alert as GET /api/alerts shows it. */
export interface AlertView {
  id: string;
  fingerprint: string;
  firing_id?: string;
  type: string;
  state: string;
  count: number;
  event_count?: number;
  first_seen: string;
  last_seen: string;
  samples: { timestamp: string; recipient_id?: string }[];
  rule: { id: string };
  group: Record<string, string>;
  /** Every channel the alert went to (or would have, when held back): its rule's and the routes'. */
  notify: string[];
}

/** apiAlerts lists alerts through the admin API. */
export async function apiAlerts(app: App, query = ""): Promise<AlertView[]> {
  const res = await app.server!.inject({ url: `/api/alerts${query}`, headers: { authorization: `Bearer ${ADMIN}` } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { alerts: AlertView[] }).alerts;
}

/** outboxMails parses every .eml written to `outbox`, oldest first. */
export async function outboxMails(outbox: string): Promise<ParsedMail[]> {
  const files = readdirSync(outbox)
    .filter((f) => f.endsWith(".eml"))
    .sort();
  return Promise.all(files.map((f) => simpleParser(readFileSync(join(outbox, f)))));
}

/** expectSamplesInside checks what an on-call person reads: every sample between first and last seen. */
export function expectSamplesInside(alert: Pick<AlertView, "first_seen" | "last_seen" | "samples">): void {
  for (const s of alert.samples) {
    expect(Date.parse(s.timestamp)).toBeGreaterThanOrEqual(Date.parse(alert.first_seen));
    expect(Date.parse(s.timestamp)).toBeLessThanOrEqual(Date.parse(alert.last_seen));
  }
}
