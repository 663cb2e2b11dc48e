// Turns a window firing into the Alert that crosses evaluate → notify, and events into bounded samples.
import type { Event } from "../ingest/event.js";
import type { Rule } from "../rules/types.js";
import { maskIfPhone, maskPhone } from "../shared/mask.js";
import { alertFacts } from "./alert-facts.js";
import type { Alert, AlertSample } from "./alert.js";
import { alertId, type CatalogLookup, fingerprint } from "./facts.js";
import type { Firing } from "./window/types.js";

/** MAX_SAMPLE_DETAILS bounds the `details` text kept per sample, so window state stays small. */
const MAX_SAMPLE_DETAILS = 200;

/**
 * sampleOf is the JSON sample a window keeps for an event. Recipients are masked here, before the
 * sample reaches Redis, so full numbers are never stored when masking is on.
 */
export function sampleOf(event: Event, eventTimeMs: number, maskPhoneNumbers: boolean): string {
  const sample: AlertSample = { event_id: event.id, timestamp: new Date(eventTimeMs).toISOString() };
  if (event.message_id !== undefined) sample.message_id = event.message_id;
  if (event.recipient_id !== undefined) {
    sample.recipient_id = maskPhoneNumbers ? maskPhone(event.recipient_id) : event.recipient_id;
  }
  if (event.recipient !== undefined) {
    sample.recipient = maskPhoneNumbers ? maskIfPhone(event.recipient) : event.recipient;
  }
  if (event.phone_number_id !== undefined) sample.phone_number_id = event.phone_number_id;
  if (event.code !== undefined) sample.code = event.code;
  if (event.details !== undefined) sample.details = event.details.slice(0, MAX_SAMPLE_DETAILS);
  return JSON.stringify(sample);
}

/** AlertInput is what one firing of one rule for one group needs to become an Alert. */
export interface AlertInput {
  readonly rule: Rule;
  /** The crossing event (for `refired`, its redelivery). */
  readonly event: Event;
  readonly groupKey: string;
  readonly group: Record<string, string>;
  readonly firing: Firing;
  readonly catalog: CatalogLookup;
  readonly nowMs: number;
  readonly receivedAt?: number;
  /** alerts.mask_phone_numbers; absent means on, the safe side. */
  readonly maskPhoneNumbers?: boolean;
}

/** buildAlert assembles the firing Alert; its id depends only on rule state, group and crossing event. */
export function buildAlert(input: AlertInput): Alert {
  const { rule, event, firing } = input;
  const entry = typeof event.code === "number" ? input.catalog.get(event.code) : undefined;
  const alert: Alert = {
    id: alertId(rule.stateKey, input.groupKey, firing.crossingEventId),
    type: "alert.firing",
    fingerprint: fingerprint(rule.id, input.groupKey),
    rule: { id: rule.id, description: rule.description, severity: rule.severity },
    group: { ...input.group },
    title: entry?.title ?? event.title ?? rule.description,
    count: firing.count,
    window_seconds: rule.threshold ? Math.round(rule.threshold.withinMs / 1000) : 0,
    first_seen: new Date(firing.firstSeenMs).toISOString(),
    last_seen: new Date(firing.lastSeenMs).toISOString(),
    samples: parseSamples(firing.samples),
    causes: entry ? [...entry.causes] : [],
    actions: [...rule.actions, ...(entry?.actions ?? [])],
    facts: alertFacts(event, input.maskPhoneNumbers ?? true),
    where: whereOf(event),
    notify: [...rule.notify],
    created_at: new Date(input.nowMs).toISOString(),
  };
  if (rule.threshold?.distinct !== undefined) {
    alert.distinct = rule.threshold.distinct;
    alert.event_count = firing.eventCount;
  }
  if (firing.capped) alert.count_capped = true;
  if (event.code !== undefined) alert.code = event.code;
  if (entry) alert.meaning = entry.meaning;
  const docs = entry?.docsUrl ?? event.href;
  if (docs !== undefined) alert.docs_url = docs;
  if (input.receivedAt !== undefined) alert.received_at = input.receivedAt;
  return alert;
}

function whereOf(event: Event): Alert["where"] {
  const where: Alert["where"] = {};
  if (event.waba_id !== undefined) where.waba_id = event.waba_id;
  if (event.phone_number_id !== undefined) where.phone_number_id = event.phone_number_id;
  if (event.display_phone_number !== undefined) where.display_phone_number = event.display_phone_number;
  return where;
}

function parseSamples(samples: readonly string[]): AlertSample[] {
  const parsed: AlertSample[] = [];
  for (const text of samples) {
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === "object") parsed.push(value as AlertSample);
    } catch {
      // A sample written by an older version that no longer parses is not worth failing an alert for.
    }
  }
  return parsed;
}
