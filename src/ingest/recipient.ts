// Who a message, call or preference is about: phone number, business-scoped user ids, and group members.
import { asId, asObjects, type JsonObject } from "./coerce.js";

/** RecipientFacts are the facts that name the WhatsApp user concerned (SPEC.md "Real WhatsApp traffic"). */
export interface RecipientFacts {
  recipient_id?: string;
  recipient_user_id?: string;
  recipient_parent_user_id?: string;
  recipient?: string;
}

/** ContactIndex finds a change's `contacts[]` entry by phone number (wa_id) or by BSUID (user_id). */
export interface ContactIndex {
  byPhone(phone: string): JsonObject | undefined;
  byUserId(userId: string): JsonObject | undefined;
}

const NO_CONTACTS: ContactIndex = { byPhone: () => undefined, byUserId: () => undefined };

/**
 * contactIndex indexes `value.contacts`; built once per change, so a body with thousands of statuses
 * pays one pass over its contacts, and nothing when (as usual) there are none.
 */
export function contactIndex(contacts: unknown): ContactIndex {
  const list = asObjects(contacts);
  if (list.length === 0) return NO_CONTACTS;
  const phones = new Map<string, JsonObject>();
  const users = new Map<string, JsonObject>();
  for (const c of list) {
    const phone = asId(c.wa_id);
    const user = asId(c.user_id);
    if (phone !== undefined && !phones.has(phone)) phones.set(phone, c);
    if (user !== undefined && !users.has(user)) users.set(user, c);
  }
  return { byPhone: (p) => phones.get(p), byUserId: (u) => users.get(u) };
}

/**
 * recipientFacts names the user from a phone number and BSUIDs; `recipient` is the phone number when
 * there is one, else the BSUID. Empty strings (Meta's "no phone number shared") count as absent. Members
 * may be undefined: callers spread the result into the event they compact (this runs once per status).
 */
export function recipientFacts(phone: unknown, userId: unknown, parentUserId: unknown): RecipientFacts {
  const recipient_id = asId(phone);
  const recipient_user_id = asId(userId);
  return {
    recipient_id,
    recipient_user_id,
    recipient_parent_user_id: asId(parentUserId),
    recipient: recipient_id ?? recipient_user_id,
  };
}

/**
 * withContact completes a user's ids from the change's `contacts[]`: Meta puts the BSUID there (not on
 * the status) when the message was sent to a phone number, and the phone number there when it was sent
 * to a BSUID and the user shares it.
 */
export function withContact(
  contacts: ContactIndex,
  phone: unknown,
  userId: unknown,
  parentUserId: unknown,
): RecipientFacts {
  const own = recipientFacts(phone, userId, parentUserId);
  if (contacts === NO_CONTACTS) return own;
  const contact =
    (own.recipient_id !== undefined ? contacts.byPhone(own.recipient_id) : undefined) ??
    (own.recipient_user_id !== undefined ? contacts.byUserId(own.recipient_user_id) : undefined);
  if (!contact) return own;
  return recipientFacts(
    own.recipient_id ?? contact.wa_id,
    own.recipient_user_id ?? contact.user_id,
    own.recipient_parent_user_id ?? contact.parent_user_id,
  );
}

/** GroupFacts are a group send's facts: the recipient type and the member a status is about. */
export interface GroupFacts {
  recipient_type?: string;
  recipient_participant_id?: string;
  recipient_participant_user_id?: string;
  recipient_participant_parent_user_id?: string;
}

const NO_GROUP: GroupFacts = Object.freeze({});

/**
 * groupFacts reads a status's group fields; Meta's group examples also spell the member
 * `participant_recipient_id`. Like recipientFacts, members may be undefined for the caller to compact.
 */
export function groupFacts(status: JsonObject): GroupFacts {
  if (status.recipient_type === undefined && status.recipient_participant_id === undefined) {
    if (status.participant_recipient_id === undefined) return NO_GROUP;
  }
  return {
    recipient_type: asId(status.recipient_type),
    recipient_participant_id: asId(status.recipient_participant_id) ?? asId(status.participant_recipient_id),
    recipient_participant_user_id: asId(status.recipient_participant_user_id),
    recipient_participant_parent_user_id: asId(status.recipient_participant_parent_user_id),
  };
}

/**
 * withRecipient fills `recipient` on an event written by hand (POST /events, dry-run files, rule tests)
 * the way Meta bodies get it: recipient_id, else recipient_user_id. An explicit `recipient` is kept.
 */
export function withRecipient<T extends Record<string, unknown>>(facts: T): T {
  if (facts.recipient !== undefined) return facts;
  const recipient = asId(facts.recipient_id) ?? asId(facts.recipient_user_id);
  return recipient === undefined ? facts : { ...facts, recipient };
}
