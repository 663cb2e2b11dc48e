// The versioned JSON body every `format: json` webhook receives (SPEC.md "What an alert carries").
import type { Alert } from "../../evaluate/alert.js";
import { groupEntries, publicSamples } from "../present.js";

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
  return {
    version: 1,
    type: alert.type,
    alert: {
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
    },
    sent_at: now.toISOString(),
  };
}
