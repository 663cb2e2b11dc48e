// Fields whose value is a list of items (calls, preferences, history chunks, echoes…): one event per item.
import type { ChangeContext } from "./change-context.js";
import {
  asId,
  asInt,
  asObject,
  asString,
  compact,
  compactOrUndefined,
  type JsonObject,
  toUnixSeconds,
} from "./coerce.js";
import type { Facts } from "./field-facts.js";
import { statusFacts } from "./normalize-messages.js";
import type { PlaceFacts } from "./place.js";
import { type ContactIndex, recipientFacts, withContact } from "./recipient.js";

/** ItemSpec says how one list of a field's value becomes events. */
export interface ItemSpec {
  /** The member of `value` that holds the items. */
  readonly key: string;
  /** facts reads one item; `where` and `contacts` come from the change it sits in. */
  facts(item: JsonObject, ctx: ChangeContext, where: PlaceFacts, contacts: ContactIndex): Facts;
  /** time is the item's own event time, when it has one. */
  time(item: JsonObject): number | undefined;
  /** keep is what of the item the event's raw `value` keeps (default: all of it). */
  keep?(item: JsonObject): JsonObject;
}

const ownTime = (item: JsonObject) => toUnixSeconds(item.timestamp);

function callFacts(item: JsonObject, _ctx: ChangeContext, _where: PlaceFacts, contacts: ContactIndex): Facts {
  // The user is the callee of a business-initiated call and the caller of a user-initiated one.
  const userSide = item.direction === "USER_INITIATED" ? "from" : "to";
  return compact({
    event: asId(item.event),
    status: asId(item.status),
    ...withContact(contacts, item[userSide], item[`${userSide}_user_id`], item[`${userSide}_parent_user_id`]),
    biz_opaque_callback_data: asString(item.biz_opaque_callback_data),
    call: compactOrUndefined({
      id: asId(item.id),
      direction: asId(item.direction),
      duration: asInt(item.duration),
    }),
  });
}

/** ITEM_SPECS lists, per field, the lists whose items are events of their own. */
export const ITEM_SPECS: Readonly<Record<string, readonly ItemSpec[]>> = {
  calls: [
    { key: "calls", facts: callFacts, time: ownTime },
    {
      // Call statuses (RINGING, ACCEPTED, REJECTED) have the shape of message statuses.
      key: "statuses",
      facts: (item, ctx, where, contacts) => {
        const { source: _s, timestamp: _t, message_id, ...facts } = statusFacts(ctx, where, contacts, item);
        return { ...facts, call: compactOrUndefined({ id: message_id }) };
      },
      time: ownTime,
    },
  ],
  user_preferences: [
    {
      key: "user_preferences",
      facts: (item) => ({
        ...recipientFacts(item.wa_id, item.user_id, item.parent_user_id),
        preference: compactOrUndefined({ category: asId(item.category), value: asId(item.value) }),
      }),
      time: ownTime,
    },
  ],
  user_id_update: [
    {
      key: "user_id_update",
      facts: (item) => {
        const ids = asObject(item.user_id);
        return { ...recipientFacts(item.wa_id, ids?.current ?? item.user_id, item.parent_user_id) };
      },
      time: ownTime,
    },
  ],
  history: [
    {
      key: "history",
      facts: (item) => {
        const meta = asObject(item.metadata);
        return {
          history: compactOrUndefined({
            phase: asInt(meta?.phase),
            chunk_order: asInt(meta?.chunk_order),
            progress: asInt(meta?.progress),
          }),
        };
      },
      time: () => undefined,
      // A chunk can hold thousands of synced messages; alerts need its progress, not the chat contents.
      keep: ({ threads: _threads, ...rest }) => rest,
    },
  ],
  smb_message_echoes: [
    {
      key: "message_echoes",
      facts: (item) => ({
        ...recipientFacts(item.to, item.to_user_id, item.to_parent_user_id),
        message_id: asId(item.id),
      }),
      time: ownTime,
    },
  ],
  smb_app_state_sync: [
    {
      key: "state_sync",
      facts: (item) => ({
        event: asId(item.action),
        ...recipientFacts(asObject(item.contact)?.phone_number, undefined, undefined),
      }),
      time: (item) => toUnixSeconds(asObject(item.metadata)?.timestamp),
    },
  ],
};

/** itemSpecs is ITEM_SPECS for `field`, own properties only. */
export function itemSpecs(field: string): readonly ItemSpec[] {
  return Object.hasOwn(ITEM_SPECS, field) ? (ITEM_SPECS[field] ?? []) : [];
}
