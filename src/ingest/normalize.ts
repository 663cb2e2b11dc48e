// Meta webhook body → Event[]: checks the envelope, then routes every change of every entry, in body order.
import type { Event } from "../model/event.js";
import type { ChangeContext } from "./change-context.js";
import {
  asObject,
  asString,
  type JsonObject,
  MAX_JSON_DEPTH,
  nestedDeeperThan,
  toUnixSeconds,
} from "./coerce.js";
import { routeAccountField } from "./field-facts.js";
import { normalizeFieldChange } from "./normalize-field.js";
import { normalizeMessagesValue } from "./normalize-messages.js";
import { SOURCE_WHATSAPP } from "./change-context.js";

/** NormalizeResult is every event of a body, or why the body is not a WhatsApp webhook envelope. */
export type NormalizeResult = { ok: true; events: Event[] } | { ok: false; reason: string };

/** NormalizeContext is what the caller knows about the request: when it arrived and its raw-bytes hash. */
export interface NormalizeContext {
  /** Acceptance time, unix ms: the event time of last resort. */
  receivedAtMs: number;
  /** SHA-256 hex of the raw body, asked for only when ids of value-level errors need it. */
  bodyHash: () => string;
  /** The `source` fact of the body's events: `whatsapp` (the default) or the relay's name. */
  source?: string;
}

/** WHATSAPP_OBJECT is the `object` every WhatsApp Business Platform webhook body declares. */
export const WHATSAPP_OBJECT = "whatsapp_business_account";

/** MESSAGE_KEYS are the members that make a value a `messages` value whatever its label says. */
const MESSAGE_KEYS = ["statuses", "messages", "errors"];

class NotEnvelope extends Error {}

function fieldOf(change: JsonObject, value: JsonObject): string {
  // Some of Meta's samples put `field` inside `value`; a change with no label at all is routed by its keys.
  const label = asString(change.field) ?? asString(value.field);
  if (label !== undefined && label !== "") return routeAccountField(label, value);
  if (MESSAGE_KEYS.some((k) => Array.isArray(value[k]))) return "messages";
  return "unknown";
}

function changeEvents(
  base: Omit<ChangeContext, "field" | "changeIndex">,
  change: unknown,
  i: number,
): Event[] {
  const where = `entry[${base.entryIndex}].changes[${i}]`;
  const c = asObject(change);
  if (!c) throw new NotEnvelope(`${where} is not an object`);
  const value = asObject(c.value);
  if (!value) throw new NotEnvelope(`${where}.value is not an object`);
  const ctx: ChangeContext = { ...base, field: fieldOf(c, value), changeIndex: i };
  return ctx.field === "messages" ? normalizeMessagesValue(ctx, value) : normalizeFieldChange(ctx, value);
}

function entryEvents(nc: NormalizeContext, entry: unknown, entryIndex: number): Event[] {
  const e = asObject(entry);
  if (!e) throw new NotEnvelope(`entry[${entryIndex}] is not an object`);
  if (e.changes === undefined) return [];
  if (!Array.isArray(e.changes)) throw new NotEnvelope(`entry[${entryIndex}].changes is not an array`);
  const base = {
    wabaId: asString(e.id),
    entryTime: toUnixSeconds(e.time),
    receivedAt: Math.floor(nc.receivedAtMs / 1000),
    bodyHash: nc.bodyHash,
    source: nc.source ?? SOURCE_WHATSAPP,
    entryIndex,
  };
  return e.changes.flatMap((change, i) => changeEvents(base, change, i));
}

/**
 * normalizeWhatsApp splits a parsed Meta (or BSP-forwarded) webhook body into events. Leaves are read
 * leniently (string codes, ms times, unknown fields and enum values kept); only a body whose envelope
 * is not Meta's (wrong `object`, no `entry` array, non-object entries/changes/values) is refused.
 */
export function normalizeWhatsApp(body: unknown, ctx: NormalizeContext): NormalizeResult {
  const root = asObject(body);
  if (!root) return { ok: false, reason: "body is not a JSON object" };
  // A missing `object` is tolerated (forwarders sometimes drop it); another platform's object is not.
  if (root.object !== undefined && root.object !== WHATSAPP_OBJECT) {
    return { ok: false, reason: `"object" is not "${WHATSAPP_OBJECT}"` };
  }
  if (!Array.isArray(root.entry)) return { ok: false, reason: `"entry" is not an array` };
  if (nestedDeeperThan(root, MAX_JSON_DEPTH))
    return { ok: false, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { ok: true, events: root.entry.flatMap((entry, i) => entryEvents(ctx, entry, i)) };
  } catch (err) {
    if (err instanceof NotEnvelope) return { ok: false, reason: err.message };
    throw err;
  }
}
