// Account-level fields (account_update, template and quality updates, account_alerts, …): one event per change.
import type { Event } from "./event.js";
import type { ChangeContext } from "./change-context.js";
import { SOURCE_WHATSAPP } from "./change-context.js";
import { asObject, asString, compact, compactOrUndefined, type JsonObject, toUnixSeconds } from "./coerce.js";
import { canonicalJson, hashId } from "./ids.js";

type Facts = Partial<Event>;

function templateFacts(value: JsonObject, withDetails: boolean): Event["template"] {
  return compactOrUndefined({
    // Meta sends the template id as a JSON int; above 2^53 it would lose digits, so facts keep it a string.
    id: asString(value.message_template_id),
    name: asString(value.message_template_name),
    language: asString(value.message_template_language),
    category: withDetails ? asString(value.message_template_category) : undefined,
    reason: withDetails ? asString(value.reason) : undefined,
  });
}

/** FIELD_FACTS reads the documented facts of each known account-level field; other fields keep only `value`. */
const FIELD_FACTS: Record<string, (value: JsonObject) => Facts> = {
  message_template_status_update: (value) => ({ template: templateFacts(value, true) }),
  message_template_quality_update: (value) => ({
    template: templateFacts(value, false),
    quality: compactOrUndefined({
      previous: asString(value.previous_quality_score),
      new: asString(value.new_quality_score),
    }),
  }),
  account_alerts: (value) => {
    const info = asObject(value.alert_info) ?? {};
    return {
      alert: compactOrUndefined({
        severity: asString(info.alert_severity),
        type: asString(info.alert_type),
        status: asString(info.alert_status),
        description: asString(info.alert_description),
      }),
      // An alert about one number names it by id; that is the same fact `messages` events carry.
      phone_number_id: value.entity_type === "PHONE_NUMBER" ? asString(value.entity_id) : undefined,
    };
  },
  phone_number_quality_update: (value) => ({ display_phone_number: asString(value.display_phone_number) }),
};

/** QUALITY_KEYS are the members only a template quality update carries. */
const QUALITY_KEYS = ["previous_quality_score", "new_quality_score"];

/**
 * routeAccountField corrects a field name the payload contradicts: Meta's own quality-update example is
 * labelled `message_template_status_update`, so the quality scores decide which of the two it is.
 */
export function routeAccountField(field: string, value: JsonObject): string {
  const hasQuality = QUALITY_KEYS.some((k) => k in value);
  if (field === "message_template_status_update" && hasQuality) return "message_template_quality_update";
  if (field === "message_template_quality_update" && !hasQuality && "event" in value) {
    return "message_template_status_update";
  }
  return field;
}

/** normalizeAccountChange turns one account-level change into its single event, raw value included. */
export function normalizeAccountChange(ctx: ChangeContext, value: JsonObject): Event {
  // Own properties only: a field named "constructor" or "__proto__" must not reach Object.prototype.
  const specific = Object.hasOwn(FIELD_FACTS, ctx.field) ? (FIELD_FACTS[ctx.field]?.(value) ?? {}) : {};
  return compact({
    id: hashId(ctx.wabaId, ctx.entryTime, ctx.field, canonicalJson(value)),
    source: SOURCE_WHATSAPP,
    kind: ctx.field,
    timestamp: toUnixSeconds(value.timestamp) ?? ctx.entryTime ?? ctx.receivedAt,
    waba_id: ctx.wabaId,
    event: asString(value.event),
    ...specific,
    value,
  }) as Event;
}
