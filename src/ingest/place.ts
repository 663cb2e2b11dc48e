// Where a change happened: the WABA of its entry and the business number its value names.
import type { ChangeContext } from "./change-context.js";
import { asObject, asString, compact, type JsonObject } from "./coerce.js";

/** PlaceFacts are SPEC.md's "where it happened" facts. */
export interface PlaceFacts {
  waba_id?: string;
  phone_number_id?: string;
  display_phone_number?: string;
}

/**
 * placeFacts reads the business number of any change: `value.metadata` (messages, calls, history,
 * user_preferences, smb_* and more carry it) or a top-level `display_phone_number` (quality, name and
 * security updates name the number that way).
 */
export function placeFacts(ctx: ChangeContext, value: JsonObject): PlaceFacts {
  const metadata = asObject(value.metadata);
  return compact({
    waba_id: ctx.wabaId,
    phone_number_id: asString(metadata?.phone_number_id) ?? asString(value.phone_number_id),
    display_phone_number: asString(metadata?.display_phone_number) ?? asString(value.display_phone_number),
  });
}
