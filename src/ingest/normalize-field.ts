// Every field but `messages`: one event per change, or per item of a list field, and one per error in it.
import type { ChangeContext } from "./change-context.js";
import { asId, asObjects, compact, type JsonObject, toUnixSeconds } from "./coerce.js";
import type { Event } from "../model/event.js";
import { fieldFacts } from "./field-facts.js";
import { type ItemSpec, itemSpecs } from "./field-items.js";
import { canonicalJson } from "../shared/canonical-json.js";
import { hashId } from "./ids.js";
import { errorFacts, metaErrors } from "./normalize-errors.js";
import { placeFacts } from "./place.js";
import { contactIndex } from "./recipient.js";

interface Item {
  readonly spec: ItemSpec;
  readonly item: JsonObject;
}

/** itemValue is the raw `value` an item's event keeps: the change without its lists, plus this one item. */
function itemValue(value: JsonObject, specs: readonly ItemSpec[], { spec, item }: Item): JsonObject {
  const rest: JsonObject = { ...value };
  for (const s of specs) delete rest[s.key];
  rest[spec.key] = [spec.keep ? spec.keep(item) : item];
  return rest;
}

/**
 * normalizeFieldChange turns one change of an account-level or list field into events, raw value
 * included. Errors Meta attaches (`value.errors`, or `errors` of an item) become events of their own,
 * with the code, the field as `kind` and the facts of the change and item they belong to; an item or
 * change with errors is told by its error events only, as a failed status is. Errors beside the only
 * item of a change (Meta's call-terminate webhook) belong to that item.
 */
export function normalizeFieldChange(ctx: ChangeContext, value: JsonObject): Event[] {
  const common = compact({
    source: ctx.source,
    kind: ctx.field,
    ...placeFacts(ctx, value),
    event: asId(value.event),
    ...compact(fieldFacts(ctx.field, value)),
  });
  const changeTime = toUnixSeconds(value.timestamp) ?? ctx.entryTime ?? ctx.receivedAt;
  let canonical: string | undefined;
  const changeKey = () => {
    canonical ??= canonicalJson(value);
    return canonical;
  };
  const errorEvent = (
    base: Partial<Event>,
    time: number,
    err: JsonObject,
    idParts: (string | number)[],
  ): Event =>
    compact({
      id: hashId(ctx.wabaId, ctx.entryTime, ctx.field, ...idParts),
      ...common,
      ...base,
      timestamp: time,
      ...errorFacts(err),
    }) as Event;

  const valueErrors = metaErrors(value.errors);
  const specs = itemSpecs(ctx.field);
  const items: Item[] = specs.flatMap((spec) => asObjects(value[spec.key]).map((item) => ({ spec, item })));
  if (items.length === 0) {
    if (valueErrors.length > 0) {
      return valueErrors.map((err, i) => errorEvent({ value }, changeTime, err, [changeKey(), "error", i]));
    }
    const id = hashId(ctx.wabaId, ctx.entryTime, ctx.field, changeKey());
    return [compact({ id, ...common, timestamp: changeTime, value }) as Event];
  }

  const contacts = contactIndex(value.contacts);
  const attributed = items.length === 1 ? valueErrors : [];
  const events = items.flatMap((it) => {
    const facts = compact({
      ...compact(it.spec.facts(it.item, ctx, common, contacts)),
      value: itemValue(value, specs, it),
    });
    const time = it.spec.time(it.item) ?? changeTime;
    const itemKey = canonicalJson(it.item);
    const errors = [...metaErrors(it.item.errors), ...attributed];
    if (errors.length > 0) {
      return errors.map((err, i) => errorEvent(facts, time, err, [it.spec.key, itemKey, "error", i]));
    }
    const id = hashId(ctx.wabaId, ctx.entryTime, ctx.field, it.spec.key, common.phone_number_id, itemKey);
    return [compact({ id, ...common, ...facts, timestamp: time }) as Event];
  });
  if (attributed.length === 0) {
    events.push(
      ...valueErrors.map((err, i) => errorEvent({ value }, changeTime, err, [changeKey(), "error", i])),
    );
  }
  return events;
}
