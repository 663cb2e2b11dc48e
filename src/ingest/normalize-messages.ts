// The `messages` field: outbound statuses, inbound message errors and value-level errors become events.
import type { Event } from "./event.js";
import type { ChangeContext } from "./change-context.js";
import { SOURCE_WHATSAPP } from "./change-context.js";
import {
  asBool,
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

interface NumberFacts {
  waba_id?: string;
  phone_number_id?: string;
  display_phone_number?: string;
}

function numberFacts(ctx: ChangeContext, value: JsonObject): NumberFacts {
  const metadata = asObject(value.metadata);
  return compact({
    waba_id: ctx.wabaId,
    phone_number_id: asString(metadata?.phone_number_id),
    display_phone_number: asString(metadata?.display_phone_number),
  });
}

/**
 * itemTime is the time an item is identified by: its own timestamp, else entry.time. receivedAt is left
 * out on purpose, because a redelivery arrives at another time and must keep the same id.
 */
function itemTime(ctx: ChangeContext, item: JsonObject): number | undefined {
  return toUnixSeconds(item.timestamp) ?? ctx.entryTime;
}

function pricingFacts(v: unknown): Event["pricing"] {
  const p = asObject(v);
  if (!p) return undefined;
  return compactOrUndefined({
    category: asString(p.category),
    billable: asBool(p.billable),
    pricing_model: asString(p.pricing_model),
    type: asString(p.type),
  });
}

function conversationFacts(v: unknown): Event["conversation"] {
  const c = asObject(v);
  if (!c) return undefined;
  const origin = compactOrUndefined({ type: asString(asObject(c.origin)?.type) });
  return compactOrUndefined({
    id: asString(c.id),
    expiration_timestamp: toUnixSeconds(c.expiration_timestamp),
    origin,
  });
}

function statusEvents(ctx: ChangeContext, where: NumberFacts, status: JsonObject): Event[] {
  const time = itemTime(ctx, status);
  const base = compact({
    source: SOURCE_WHATSAPP,
    timestamp: time ?? ctx.receivedAt,
    status: asString(status.status),
    ...where,
    recipient_id: asString(status.recipient_id),
    message_id: asString(status.id),
    pricing: pricingFacts(status.pricing),
    conversation: conversationFacts(status.conversation),
    biz_opaque_callback_data: asString(status.biz_opaque_callback_data),
  });
  const idOf = (code: number | undefined, index: number | undefined) =>
    hashId(ctx.field, where.waba_id, where.phone_number_id, base.message_id, base.status, time, code, index);
  const errors = asObjects(status.errors);
  if (errors.length === 0) return [{ id: idOf(undefined, undefined), kind: "status", ...base }];
  return errors.map((err, i) => {
    const facts = errorFacts(err);
    return { id: idOf(facts.code, i), kind: "status_error", ...base, ...facts };
  });
}

function inboundErrorEvents(ctx: ChangeContext, where: NumberFacts, msg: JsonObject): Event[] {
  const time = itemTime(ctx, msg);
  const sender = asString(msg.from);
  const messageId = asString(msg.id);
  return asObjects(msg.errors).map((err, i) => {
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
    return compact({
      id,
      source: SOURCE_WHATSAPP,
      kind: "message_error",
      timestamp: time ?? ctx.receivedAt,
      ...where,
      recipient_id: sender,
      message_id: messageId,
      ...facts,
    });
  });
}

function systemErrorEvents(ctx: ChangeContext, where: NumberFacts, value: JsonObject): Event[] {
  return asObjects(value.errors).map((err, i) =>
    compact({
      // A value-level error names no message and no time of its own: only its place in this body identifies it.
      id: hashId("system_error", ctx.bodyHash(), ctx.entryIndex, ctx.changeIndex, i),
      source: SOURCE_WHATSAPP,
      kind: "system_error",
      timestamp: toUnixSeconds(err.timestamp) ?? ctx.entryTime ?? ctx.receivedAt,
      ...where,
      ...errorFacts(err),
    }),
  );
}

/** normalizeMessagesValue turns one `messages` change value into its status, error and system events. */
export function normalizeMessagesValue(ctx: ChangeContext, value: JsonObject): Event[] {
  const where = numberFacts(ctx, value);
  return [
    ...asObjects(value.statuses).flatMap((s) => statusEvents(ctx, where, s)),
    ...asObjects(value.messages).flatMap((m) => inboundErrorEvents(ctx, where, m)),
    ...systemErrorEvents(ctx, where, value),
  ];
}
