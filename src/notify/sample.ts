// A realistic sample alert, so `waba-alerts notify-test CHANNEL` shows exactly what on-call will receive.
import type { Alert } from "../model/alert.js";
import type { Notifier } from "./types.js";
import type { Digest, SendResult } from "../model/notification.js";

const MINUTE = 60_000;

/** sampleAlert builds a firing 131048 alert (6 in 10m on one business number) with catalog-style guidance. */
export function sampleAlert(now: Date = new Date()): Alert {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MINUTE).toISOString();
  const recipients = [
    "5215512345679",
    "16465550595",
    "447700900123",
    "5511987654321",
    "919876543210",
    "16465550188",
  ];
  return {
    id: `sample-${now.getTime().toString(36)}`,
    type: "alert.firing",
    fingerprint: "sample-spam-rate-limit-106540352242922",
    rule: {
      id: "spam-rate-limit",
      description: "Spam rate limit hit repeatedly on one number",
      severity: "critical",
    },
    group: { phone_number_id: "106540352242922" },
    code: 131048,
    title: "Spam rate limit hit",
    count: 6,
    window_seconds: 600,
    first_seen: at(9),
    last_seen: at(0),
    samples: recipients.slice(0, 5).map((recipient, i) => ({
      event_id: `sample-event-${i + 1}`,
      message_id: `wamid.HBgLMTY0NjU1NTA1OTUVAgARGBI${(i + 1).toString().padStart(2, "0")}SAMPLE`,
      recipient_id: recipient,
      phone_number_id: "106540352242922",
      code: 131048,
      details:
        "Message failed to send because there are restrictions on how many messages can be sent from this phone number.",
      timestamp: at(9 - i * 2),
    })),
    meaning:
      "Meta has throttled this business number: too many recent messages from it were blocked or reported as spam by the people who got them, so new sends are being refused for now.",
    causes: [
      "Recipients blocking or reporting the number at a high rate",
      "Templates or campaigns that people find irrelevant or did not ask for",
      "Sending to contacts who never opted in, or to an old, stale list",
    ],
    actions: [
      "Check the number's quality rating in WhatsApp Manager",
      "Pause bulk and marketing sends from this number until the rating recovers",
      "Review recent templates and who they went to; send only to contacts who opted in",
      "Do not retry the failed messages straight away: they will be refused again",
    ],
    docs_url: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes",
    where: {
      waba_id: "102290129340398",
      phone_number_id: "106540352242922",
      display_phone_number: "15550783881",
    },
    notify: [],
    created_at: now.toISOString(),
  };
}

/**
 * sampleDigest is what a flood of `alert` looks like in a digest: the same error on 12 business numbers
 * within 5 minutes, the first sent on its own.
 */
export function sampleDigest(alert: Alert = sampleAlert(), now: Date = new Date()): Digest {
  const alerts = Array.from({ length: 12 }, (_, i): Alert => {
    const number = `1555078${String(3881 + i * 17).padStart(4, "0")}`;
    const phoneId = String(106540352242922 + i);
    return {
      ...alert,
      id: `${alert.id}-${i + 1}`,
      fingerprint: `${alert.fingerprint}-${i + 1}`,
      group: { phone_number_id: phoneId },
      count: alert.count + (i % 4),
      samples: alert.samples.slice(0, 1),
      where: { ...alert.where, phone_number_id: phoneId, display_phone_number: number },
    };
  });
  return {
    id: `sample-digest-${now.getTime().toString(36)}`,
    type: "alert.digest",
    alert_type: "alert.firing",
    group: { rule: alert.rule.id },
    from: new Date(now.getTime() - 5 * MINUTE).toISOString(),
    to: now.toISOString(),
    count: alerts.length,
    alerts,
    ...(alerts[0] ? { sent_at_once: alerts[0].id } : {}),
  };
}

/**
 * notifyTest sends `alert` (the sample by default) once through `notifier` as `channel` and returns the
 * verdict; with `digest`, a digest of such alerts instead.
 */
export function notifyTest(
  notifier: Notifier,
  channel: string,
  alert: Alert = sampleAlert(),
  digest = false,
): Promise<SendResult> {
  const one = { ...alert, notify: [channel] };
  return notifier.send(digest ? { digest: sampleDigest(one), channel } : { alert: one, channel });
}
