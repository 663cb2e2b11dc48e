// POST /events bodies: one generic event object or an array of them, validated into Events.
import { type Event, STRING_FACTS } from "../model/event.js";
import { nestDottedKeys } from "../model/facts.js";
import { asObject, type JsonObject, MAX_JSON_DEPTH, nestedDeeperThan, toUnixSeconds } from "./coerce.js";
import { canonicalJson } from "../shared/canonical-json.js";
import { hashId } from "./ids.js";
import { withRecipient } from "./recipient.js";

/** GenericResult is the events of a /events body, or the first reason it cannot be accepted. */
export type GenericResult = { ok: true; events: Event[] } | { ok: false; reason: string };

/** SOURCE_GENERIC and KIND_GENERIC are the defaults for events that do not name their source or kind. */
export const SOURCE_GENERIC = "generic";
export const KIND_GENERIC = "generic";


function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

function readTimestamp(v: unknown, nowSec: number): number | string {
  if (v === undefined) return nowSec;
  const fromNumber = toUnixSeconds(v);
  if (fromNumber !== undefined) return fromNumber;
  if (typeof v === "string" && v.trim() !== "") {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  return `"timestamp" must be unix seconds, unix milliseconds or an ISO-8601 time`;
}

function toEvent(item: unknown, where: string, nowSec: number): Event | string {
  const obj: JsonObject | undefined = asObject(item);
  if (!obj) return `${where} must be a JSON object, got ${typeName(item)}`;
  if (obj.code === undefined) return `${where}: "code" is required`;
  if (typeof obj.code !== "number" || !Number.isInteger(obj.code)) {
    return `${where}: "code" must be an integer, got ${typeName(obj.code)}`;
  }
  const strings: Record<string, string> = {};
  for (const fact of STRING_FACTS) {
    const value = obj[fact];
    if (value === undefined || typeof value === "string") continue;
    // A number written for a string fact (phone_number_id: 106540352242922) means its digits.
    if (typeof value === "number" && Number.isFinite(value)) strings[fact] = String(value);
    else return `${where}: "${fact}" must be a string, got ${typeName(value)}`;
  }
  if (obj.id !== undefined && (typeof obj.id !== "string" || obj.id === "")) {
    return `${where}: "id" must be a non-empty string`;
  }
  const timestamp = readTimestamp(obj.timestamp, nowSec);
  if (typeof timestamp === "string") return `${where}: ${timestamp}`;
  // A flat dotted key ("template.name") becomes the nested fact every rule reads.
  return withRecipient({
    ...nestDottedKeys(obj),
    ...strings,
    // Hashing what the sender wrote (before defaults) keeps the id stable when the same object is re-sent.
    id: typeof obj.id === "string" ? obj.id : hashId("generic", canonicalJson(obj)),
    source: typeof obj.source === "string" ? obj.source : SOURCE_GENERIC,
    kind: typeof obj.kind === "string" ? obj.kind : KIND_GENERIC,
    timestamp,
    code: obj.code,
  });
}

/** parseGenericEvents validates a parsed /events body; all of it is accepted or none (first problem wins). */
export function parseGenericEvents(body: unknown, nowMs: number): GenericResult {
  const nowSec = Math.floor(nowMs / 1000);
  // Ids hash the whole object recursively; a hostile nesting depth would overflow the stack (500, not 400).
  if (nestedDeeperThan(body, MAX_JSON_DEPTH))
    return { ok: false, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  const items = Array.isArray(body) ? body : [body];
  const events: Event[] = [];
  for (const [i, item] of items.entries()) {
    const event = toEvent(item, Array.isArray(body) ? `events[${i}]` : "event", nowSec);
    if (typeof event === "string") return { ok: false, reason: event };
    events.push(event);
  }
  return { ok: true, events };
}
