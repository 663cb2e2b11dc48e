// Turns a window firing into the Alert that crosses evaluate → notify, and events into bounded samples.
import type { Event } from "../model/event.js";
import type { Rule } from "../rules/types.js";
import { linkField } from "../shared/links.js";
import { maskIfPhone, maskPhone } from "../shared/mask.js";
import { alertFacts } from "./alert-facts.js";
import { type Alert, type AlertSample, lineFields } from "../model/alert.js";
import { alertId, type CatalogLookup, fingerprint } from "./facts.js";
import type { AbsenceContext } from "./absence/types.js";
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
  /** The group's values as text (groupText): the alert's id and fingerprint derive from it. */
  readonly groupText: string;
  /** The group as shown (customer numbers masked when masking is on). */
  readonly group: Record<string, string>;
  readonly firing: Firing;
  readonly catalog: CatalogLookup;
  readonly nowMs: number;
  readonly receivedAt?: number;
  /** alerts.mask_phone_numbers; absent means on, the safe side. */
  readonly maskPhoneNumbers?: boolean;
}

/** windowSeconds is what an alert says its window is: the threshold's `within`, an absence's `for`, else 0. */
function windowSeconds(rule: Rule): number {
  if (rule.threshold) return Math.round(rule.threshold.withinMs / 1000);
  return rule.absent ? Math.round(rule.absent.forMs / 1000) : 0;
}

/**
 * buildAlert assembles the firing Alert; its id depends only on rule state, group and crossing event. A
 * ratio crossing may come from an event of `of` (a plain status), so its code is the one `when` pins.
 */
export function buildAlert(input: AlertInput): Alert {
  const { rule, event, firing } = input;
  const t = rule.threshold;
  // A ratio counts many kinds of events: only what its `when` pins speaks for all of them.
  const ratio = t?.kind === "ratio";
  const code = ratio ? rule.pinnedCode : event.code;
  const alert = baseAlert(rule, input.catalog, code, {
    id: alertId(rule.stateKey, input.groupText, firing.crossingEventId),
    fingerprint: fingerprint(rule.id, input.groupText),
    group: { ...input.group },
    ...(ratio || event.title === undefined ? {} : { title: event.title }),
    count: firing.count,
    first_seen: new Date(firing.firstSeenMs).toISOString(),
    last_seen: new Date(firing.lastSeenMs).toISOString(),
    samples: parseSamples(firing.samples),
    facts: alertFacts(event, input.maskPhoneNumbers ?? true),
    where: whereOf(event),
    created_at: new Date(input.nowMs).toISOString(),
    // Only an absolute http(s) href becomes a link: never javascript:, data: or a relative path.
    ...(ratio ? {} : linkField("docsHref", event.href)),
  });
  if (t?.kind === "distinct") {
    alert.distinct = t.distinct;
    alert.event_count = firing.eventCount;
  }
  Object.assign(alert, lineFields(firing.count, firing));
  if (firing.capped) alert.count_capped = true;
  if (input.receivedAt !== undefined) alert.received_at = input.receivedAt;
  return alert;
}

/** AlertBasics are the parts of an alert that come from its firing rather than from its rule. */
interface AlertBasics {
  readonly id: string;
  readonly fingerprint: string;
  readonly group: Record<string, string>;
  /** The event's own title, used when the catalog does not know the code. */
  readonly title?: string;
  readonly count: number;
  readonly first_seen: string;
  readonly last_seen: string;
  readonly samples: AlertSample[];
  /** The crossing event's own facts (absent for an absence: no event crossed). */
  readonly facts?: Alert["facts"];
  readonly where: Alert["where"];
  readonly created_at: string;
  readonly docsHref?: string;
}

/** baseAlert fills in what every firing alert carries: the rule, the catalog entry of `code`, the window. */
function baseAlert(rule: Rule, catalog: CatalogLookup, code: number | undefined, b: AlertBasics): Alert {
  const entry = code !== undefined ? catalog.get(code) : undefined;
  const { docsHref, title, ...basics } = b;
  const alert: Alert = {
    ...basics,
    type: "alert.firing",
    rule: { id: rule.id, description: rule.description, severity: rule.severity },
    title: entry?.title ?? title ?? rule.description,
    window_seconds: windowSeconds(rule),
    causes: entry ? [...entry.causes] : [],
    actions: [...rule.actions, ...(entry?.actions ?? [])],
    notify: [...rule.notify],
  };
  if (code !== undefined) alert.code = code;
  if (entry) alert.meaning = entry.meaning;
  const docs = entry?.docsUrl ?? docsHref;
  if (docs !== undefined) alert.docs_url = docs;
  return alert;
}

/**
 * buildAbsentAlert assembles the alert of a silent group: no matching event for the rule's `for` since
 * `silentSinceMs`. It shows the group's newest event (its time is first and last seen); count is 0.
 * The id derives from the silence, so a sweeper that retries fires the same alert.
 */
export function buildAbsentAlert(
  rule: Rule,
  claim: { readonly group: string; readonly silentSinceMs: number; readonly context: AbsenceContext },
  catalog: CatalogLookup,
  nowMs: number,
): Alert {
  const ctx = claim.context;
  const seen = new Date(ctx.eventMs).toISOString();
  const alert = baseAlert(rule, catalog, rule.pinnedCode, {
    id: alertId(rule.stateKey, claim.group, `absent@${claim.silentSinceMs}`),
    // The claim names its group by hash; the context remembers the stream's fingerprint (older state: none).
    fingerprint: ctx.fingerprint ?? fingerprint(rule.id, claim.group),
    group: { ...ctx.group },
    count: 0,
    first_seen: seen,
    last_seen: seen,
    samples: parseSamples([ctx.sample]),
    where: { ...ctx.where },
    created_at: new Date(nowMs).toISOString(),
  });
  alert.silent_since = new Date(claim.silentSinceMs).toISOString();
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
