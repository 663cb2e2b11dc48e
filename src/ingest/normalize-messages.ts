// The `messages` field: outbound statuses, inbound message errors, system messages and value-level errors.
import type { Event } from "../model/event.js";
import type { ChangeContext } from "./change-context.js";
import {
  asBool,
  asId,
  asObject,
  asObjects,
  asString,
  compact,
  compactOrUndefined,
  type JsonObject,
  toUnixSeconds,
} from "./coerce.js";
import { hashId } from "./ids.js";
import { errorFacts } from "./normalize-errors.js";
import { type PlaceFacts, placeFacts } from "./place.js";
import { type ContactIndex, contactIndex, groupFacts, recipientFacts, withContact } from "./recipient.js";

type NumberFacts = PlaceFacts;

/** KIND_SYSTEM_MESSAGE is the kind of Meta's system messages (a user changed number or identity). */
export const KIND_SYSTEM_MESSAGE = "system_message";

/**
 * itemTime is the time an item is identified by: its own timestamp, else entry.time. receivedAt is left
 * out on purpose, because a redelivery arrives at another time and must keep the same id.
 */
export function itemTime(ctx: ChangeContext, item: JsonObject): number | undefined {
  return toUnixSeconds(item.timestamp) ?? ctx.entryTime;
}

/** pricingFacts reads a status's `pricing` object. */
export function pricingFacts(v: unknown): Event["pricing"] {
  const p = asObject(v);
  if (!p) return undefined;
  return compactOrUndefined({
    category: asString(p.category),
    billable: asBool(p.billable),
    pricing_model: asString(p.pricing_model),
    type: asString(p.type),
  });
}

/** conversationFacts reads a status's `conversation` object. */
export function conversationFacts(v: unknown): Event["conversation"] {
  const c = asObject(v);
  if (!c) return undefined;
  const origin = compactOrUndefined({ type: asString(asObject(c.origin)?.type) });
  return compactOrUndefined({
    id: asString(c.id),
    expiration_timestamp: toUnixSeconds(c.expiration_timestamp),
    origin,
  });
}

/**
 * statusFacts are the facts of one `statuses[]` item other than its errors; the `calls` field's call
 * statuses share them.
 */
export function statusFacts(
  ctx: ChangeContext,
  where: NumberFacts,
  contacts: ContactIndex,
  status: JsonObject,
) {
  return compact({
    source: ctx.source,
    timestamp: itemTime(ctx, status) ?? ctx.receivedAt,
    status: asString(status.status),
    ...where,
    ...withContact(contacts, status.recipient_id, status.recipient_user_id, status.recipient_parent_user_id),
    ...groupFacts(status),
    message_id: asString(status.id),
    pricing: pricingFacts(status.pricing),
    conversation: conversationFacts(status.conversation),
    biz_opaque_callback_data: asString(status.biz_opaque_callback_data),
  });
}

function statusEvents(
  ctx: ChangeContext,
  where: NumberFacts,
  contacts: ContactIndex,
  status: JsonObject,
): Event[] {
  const time = itemTime(ctx, status);
  const base = statusFacts(ctx, where, contacts, status);
  // The recipient is part of a group status's identity: Meta sends one status per member for the same message.
  const member = base.recipient_participant_id ?? base.recipient_participant_user_id;
  const idOf = (code: number | undefined, index: number | undefined) => {
    const parts = [
      ctx.field,
      where.waba_id,
      where.phone_number_id,
      base.message_id,
      base.status,
      time,
      code,
      index,
    ];
    return hashId(...(member === undefined ? parts : [...parts, member]));
  };
  const errors = asObjects(status.errors);
  if (errors.length === 0) return [{ id: idOf(undefined, undefined), kind: "status", ...base }];
  return errors.map((err, i) => {
    const facts = errorFacts(err);
    return { id: idOf(facts.code, i), kind: "status_error", ...base, ...facts };
  });
}

function inboundEvents(ctx: ChangeContext, where: NumberFacts, msg: JsonObject): Event[] {
  const time = itemTime(ctx, msg);
  const messageId = asString(msg.id);
  // The sender of an inbound message is the user concerned: the same facts a status names its recipient by.
  const user = recipientFacts(msg.from, msg.from_user_id, msg.from_parent_user_id);
  const common = {
    source: ctx.source,
    timestamp: time ?? ctx.receivedAt,
    ...where,
    ...user,
    message_id: messageId,
  };
  const events: Event[] = asObjects(msg.errors).map((err, i) => {
    const facts = errorFacts(err);
    const id = hashId(
      ctx.field,
      where.waba_id,
      where.phone_number_id,
      messageId,
      "inbound",
      time,
      facts.code,
      i,
    );
    return compact({ id, kind: "message_error", ...common, ...facts });
  });
  const system = asObject(msg.system);
  if (msg.type === "system" && system) {
    const id = hashId(ctx.field, where.waba_id, where.phone_number_id, messageId, KIND_SYSTEM_MESSAGE, time);
    events.push(compact({ id, kind: KIND_SYSTEM_MESSAGE, ...common, event: asId(system.type) }));
  }
  return events;
}

function systemErrorEvents(ctx: ChangeContext, where: NumberFacts, value: JsonObject): Event[] {
  return asObjects(value.errors).map((err, i) =>
    compact({
      // A value-level error names no message and no time of its own: only its place in this body identifies it.
      id: hashId("system_error", ctx.bodyHash(), ctx.entryIndex, ctx.changeIndex, i),
      source: ctx.source,
      kind: "system_error",
      timestamp: toUnixSeconds(err.timestamp) ?? ctx.entryTime ?? ctx.receivedAt,
      ...where,
      ...errorFacts(err),
    }),
  );
}

/** normalizeMessagesValue turns one `messages` change value into its status, error and system events. */
export function normalizeMessagesValue(ctx: ChangeContext, value: JsonObject): Event[] {
  const where = placeFacts(ctx, value);
  const contacts = contactIndex(value.contacts);
  return [
    ...asObjects(value.statuses).flatMap((s) => statusEvents(ctx, where, contacts, s)),
    ...asObjects(value.messages).flatMap((m) => inboundEvents(ctx, where, m)),
    ...systemErrorEvents(ctx, where, value),
  ];
}
