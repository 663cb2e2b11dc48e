// The versioned JSON body every `format: json` webhook receives (SPEC.md "What an alert carries").
import type { Alert } from "../../model/alert.js";
import { groupEntries, publicFacts, publicSamples } from "../present.js";
import type { Digest } from "../../model/notification.js";

/**
 * WebhookAlert is the `alert` object of the body: the Alert minus internals (its type is the body's,
 * routing and timing stay inside), with customer numbers masked.
 */
export type WebhookAlert = Omit<Alert, "type" | "notify" | "created_at" | "received_at">;

/** WebhookBody is version 1 of the forwarded alert; fields are only ever added to it, never renamed. */
export interface WebhookBody {
  version: 1;
  type: Alert["type"];
  alert: WebhookAlert;
  sent_at: string;
}

/** buildWebhookBody turns an alert into the forwarded body; `mask` follows `alerts.mask_phone_numbers`. */
export function buildWebhookBody(alert: Alert, mask: boolean, now: Date = new Date()): WebhookBody {
  return { version: 1, type: alert.type, alert: webhookAlert(alert, mask), sent_at: now.toISOString() };
}

/**
 * DigestBody is the forwarded digest (`type: alert.digest`): the alerts of one group gathered over one
 * interval, each in the `alert` shape of a single body, plus what the digest covers.
 */
export interface DigestBody {
  version: 1;
  type: "alert.digest";
  digest: {
    id: string;
    /** alert.firing or alert.resolved: what every listed alert is. */
    alert_type: Alert["type"];
    group: Record<string, string>;
    from: string;
    to: string;
    /** Alerts in the interval; more than `alerts.length` when a flood went past the listing cap. */
    count: number;
    /** The alert sent on its own when the interval began (listed too). */
    sent_at_once?: string;
  };
  alerts: WebhookAlert[];
  sent_at: string;
}

/** buildDigestBody turns a digest into the forwarded body; `mask` follows `alerts.mask_phone_numbers`. */
export function buildDigestBody(digest: Digest, mask: boolean, now: Date = new Date()): DigestBody {
  return {
    version: 1,
    type: "alert.digest",
    digest: {
      id: digest.id,
      alert_type: digest.alert_type,
      group: { ...digest.group },
      from: digest.from,
      to: digest.to,
      count: digest.count,
      ...(digest.sent_at_once === undefined ? {} : { sent_at_once: digest.sent_at_once }),
    },
    alerts: digest.alerts.map((a) => webhookAlert(a, mask)),
    sent_at: now.toISOString(),
  };
}

/** webhookAlert is the `alert` object of a body: the Alert without internals, customer numbers masked. */
function webhookAlert(alert: Alert, mask: boolean): WebhookAlert {
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    ...(alert.firing_id === undefined ? {} : { firing_id: alert.firing_id }),
    rule: { ...alert.rule },
    group: Object.fromEntries(groupEntries(alert, mask).map((g) => [g.name, g.value])),
    ...(alert.code === undefined ? {} : { code: alert.code }),
    title: alert.title,
    count: alert.count,
    ...(alert.distinct === undefined ? {} : { distinct: alert.distinct }),
    ...(alert.event_count === undefined ? {} : { event_count: alert.event_count }),
    ...(alert.count_capped ? { count_capped: true } : {}),
    ...(alert.of_count === undefined ? {} : { of_count: alert.of_count }),
    ...(alert.ratio === undefined ? {} : { ratio: alert.ratio }),
    ...(alert.baseline_count === undefined ? {} : { baseline_count: alert.baseline_count }),
    ...(alert.silent_since === undefined ? {} : { silent_since: alert.silent_since }),
    window_seconds: alert.window_seconds,
    first_seen: alert.first_seen,
    last_seen: alert.last_seen,
    samples: publicSamples(alert, mask),
    ...(alert.meaning === undefined ? {} : { meaning: alert.meaning }),
    causes: [...alert.causes],
    actions: [...alert.actions],
    ...(alert.docs_url === undefined ? {} : { docs_url: alert.docs_url }),
    where: { ...alert.where },
    ...(alert.facts === undefined ? {} : { facts: publicFacts(alert, mask) }),
  };
}
