// Building blocks every part of the config schema shares: durations, sizes, names, closed objects.
import { Type as T } from "@sinclair/typebox";
import { DURATION_PATTERN } from "../shared/duration.js";

/** Duration is a duration string with a default, matched by the same pattern the duration parser uses. */
export const Duration = (def: string) =>
  T.String({ pattern: DURATION_PATTERN, default: def, description: "a duration such as 30s, 10m, 2h or 1d" });

/** Size is a byte count, or a size such as 512kb or 3mb. */
export const Size = T.Union(
  [
    T.Integer({ minimum: 1 }),
    T.String({ pattern: "^\\d+(b|kb|mb|gb)?$", description: "a size such as 512kb or 3mb" }),
  ],
  {
    description: "bytes, or a size such as 3mb",
  },
);

/** Name is a channel or relay name, as their keys are written. */
export const Name = T.String({ pattern: "^[A-Za-z0-9_-]+$" });

/** opts closes an object: unknown keys are errors, never ignored. */
export const opts = { additionalProperties: false } as const;
