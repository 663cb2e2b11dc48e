// Events, a catalog stub and rules shared by the evaluate tests.
import type { CatalogEntry } from "../../../src/catalog/index.js";
import type { CatalogLookup } from "../../../src/evaluate/facts.js";
import type { Event } from "../../../src/model/event.js";
import { byCode, testRule } from "../../helpers/rules.js";

/** T0 is a fixed processing-time origin, unix ms (a whole second). */
export const T0 = Date.UTC(2024, 5, 1, 9, 0, 0);

/** MIN is one minute in ms. */
export const MIN = 60_000;

/** SPAM is the catalog entry the stub knows. */
export const SPAM: CatalogEntry = {
  code: 131048,
  title: "Spam rate limit hit",
  category: "throttling",
  meaning: "Meta limited how many messages this number can send.",
  causes: ["Many recipients blocked or reported the number"],
  actions: ["Slow down sending", "Review template quality"],
  retryable: true,
  docsUrl: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes",
};

/** stubCatalog knows only 131048. */
export const stubCatalog: CatalogLookup = { get: (code) => (code === SPAM.code ? SPAM : undefined) };

/** spamEvent is the i-th failed status with 131048 on one phone number, one minute apart from T0. */
export function spamEvent(i: number, phoneNumberId = "106540352242922", timeMs = T0 + i * MIN): Event {
  return {
    id: `${phoneNumberId}-e${i}`,
    source: "whatsapp",
    kind: "status_error",
    timestamp: timeMs / 1000,
    code: 131048,
    title: "Spam rate limit hit",
    details: "Message failed to send because there are restrictions on how many messages can be sent",
    status: "failed",
    waba_id: "102290129340398",
    phone_number_id: phoneNumberId,
    display_phone_number: "15550783881",
    recipient_id: "16465550595",
    message_id: `wamid.${phoneNumberId}.${i}`,
  };
}

/** deliveredEvent is a plain `delivered` status: no code, no rule should care. */
export function deliveredEvent(i: number): Event {
  return {
    id: `delivered-${i}`,
    source: "whatsapp",
    kind: "status",
    timestamp: (T0 + i * MIN) / 1000,
    status: "delivered",
    phone_number_id: "106540352242922",
    recipient_id: "16465550595",
    message_id: `wamid.d.${i}`,
  };
}

/** spamRule is SPEC.md's example rule: 131048 more than 5 times in 10 minutes on one number. */
export const spamRule = testRule({
  id: "spam-rate-limit",
  description: "Spam rate limit hit repeatedly on one number",
  severity: "critical",
  when: byCode(131048),
  groupBy: ["phone_number_id"],
  threshold: { kind: "count", moreThan: 5, withinMs: 10 * MIN },
  cooldownMs: 30 * MIN,
  notify: ["ops", "forward"],
  actions: ["Check the number's quality rating in WhatsApp Manager"],
});
