// The documented facts of each account-level webhook field (templates, account, numbers, flows, partners).
import type { Event } from "../model/event.js";
import {
  asId,
  asNumber,
  asObject,
  asObjects,
  asString,
  compactOrUndefined,
  type JsonObject,
  toUnixSeconds,
} from "./coerce.js";
import { limitChange } from "./limits.js";

/** Facts is a partial event: what one field adds to the facts every change carries. */
export type Facts = Partial<Event>;

function templateIds(value: JsonObject) {
  return {
    // Meta sends the template id as a JSON int; above 2^53 it would lose digits, so facts keep it a string.
    id: asString(value.message_template_id),
    name: asString(value.message_template_name),
    language: asString(value.message_template_language),
  };
}

function templateStatusFacts(value: JsonObject): Facts {
  const rejection = asObject(value.rejection_info);
  return {
    reason: asId(value.reason),
    template: compactOrUndefined({
      ...templateIds(value),
      category: asString(value.message_template_category),
      reason: asId(value.reason),
      pause: asId(asObject(value.other_info)?.title),
    }),
    rejection: compactOrUndefined({
      reason: asId(rejection?.reason),
      recommendation: asId(rejection?.recommendation),
    }),
  };
}

function accountUpdateFacts(value: JsonObject): Facts {
  const ban = asObject(value.ban_info);
  const restrictions = asObjects(value.restriction_info);
  const types = restrictions.map((r) => asId(r.restriction_type)).filter((t) => t !== undefined);
  const expirations = restrictions.map((r) => toUnixSeconds(r.expiration)).filter((t) => t !== undefined);
  return {
    ban: compactOrUndefined({ state: asId(ban?.waba_ban_state), date: asId(ban?.waba_ban_date) }),
    violation: compactOrUndefined({ type: asId(asObject(value.violation_info)?.violation_type) }),
    restriction: compactOrUndefined({
      types: types.length > 0 ? types : undefined,
      // The restriction as a whole lasts until its last part ends.
      // (reduce, not Math.max(...): a hostile body could hold more items than a call takes arguments)
      expiration: expirations.length > 0 ? expirations.reduce((a, b) => Math.max(a, b)) : undefined,
    }),
  };
}

function numberLimitFacts(value: JsonObject): Facts {
  const previous = asString(value.old_limit);
  const current = asString(value.current_limit) ?? asString(value.max_daily_conversations_per_business);
  return { limit: compactOrUndefined({ previous, current, change: limitChange(previous, current) }) };
}

function capabilityFacts(value: JsonObject): Facts {
  const current =
    asString(value.max_daily_conversations_per_business) ?? asString(value.max_daily_conversation_per_phone);
  return { limit: compactOrUndefined({ current }) };
}

function flowFacts(value: JsonObject): Facts {
  const types = asObjects(value.errors)
    .map((e) => asId(e.error_type))
    .filter((t) => t !== undefined);
  return {
    flow: compactOrUndefined({
      id: asString(value.flow_id),
      status: asId(value.new_status),
      previous_status: asId(value.old_status),
      alert_state: asId(value.alert_state),
      error_rate: asNumber(value.error_rate),
      threshold: asNumber(value.threshold),
      p90_latency: asNumber(value.p90_latency),
      availability: asNumber(value.availability),
      error_types: types.length > 0 ? types : undefined,
      message: asId(value.message),
    }),
  };
}

function reviewFacts(value: JsonObject): Facts {
  const reasons = Array.isArray(value.rejection_reasons)
    ? value.rejection_reasons.map(asId).filter((r) => r !== undefined)
    : [];
  return {
    decision: asId(value.decision),
    reason: asId(value.rejection_reason) ?? (reasons.length > 0 ? reasons.join(", ") : undefined),
    requested_name: asId(value.requested_verified_name) ?? asId(value.requested_username),
  };
}

/** FIELD_FACTS reads the documented facts of each known account-level field; other fields keep only `value`. */
export const FIELD_FACTS: Readonly<Record<string, (value: JsonObject) => Facts>> = {
  account_update: accountUpdateFacts,
  account_review_update: reviewFacts,
  phone_number_name_update: reviewFacts,
  phone_number_username_update: reviewFacts,
  message_template_status_update: templateStatusFacts,
  message_template_quality_update: (value) => ({
    template: compactOrUndefined(templateIds(value)),
    quality: compactOrUndefined({
      previous: asId(value.previous_quality_score),
      new: asId(value.new_quality_score),
    }),
  }),
  template_category_update: (value) => ({
    // Before an automatic change Meta sends the current category as `new_category` and the coming one
    // as `correct_category`; after it, `previous_category` and `new_category`.
    template: compactOrUndefined({
      ...templateIds(value),
      category: asId(value.new_category),
      previous_category: asId(value.previous_category),
      correct_category: asId(value.correct_category),
    }),
  }),
  message_template_components_update: (value) => ({ template: compactOrUndefined(templateIds(value)) }),
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
  phone_number_quality_update: numberLimitFacts,
  business_capability_update: capabilityFacts,
  flows: flowFacts,
  partner_solutions: (value) => ({
    solution: compactOrUndefined({ id: asString(value.solution_id), status: asId(value.solution_status) }),
  }),
};

/** fieldFacts is FIELD_FACTS for `field`, own properties only ("__proto__" must not reach Object.prototype). */
export function fieldFacts(field: string, value: JsonObject): Facts {
  return Object.hasOwn(FIELD_FACTS, field) ? (FIELD_FACTS[field]?.(value) ?? {}) : {};
}

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
