// The config's parts for floods and routing: a channel's `group` and the top-level `routes`.
import { type Static, type TSchema, Type as T } from "@sinclair/typebox";
import { FactNamesSchema, MatchersSchema } from "../rules/matchers.js";
import { POSITIVE_DURATION_PATTERN } from "../shared/duration.js";

const opts = { additionalProperties: false } as const;
// A channel name, as `channels` keys are written.
const Name = T.String({ pattern: "^[A-Za-z0-9_-]+$" });

/**
 * Group is a channel's grouping: the first alert of a group goes at once, the rest of the group within
 * `interval` are gathered into one digest sent when it ends; `false` sends every alert on its own.
 * Absent, the channel's type decides (on for email and chat formats, off for `format: json`).
 */
export const Group = T.Union(
  [
    T.Literal(false),
    T.Object(
      {
        // Optional with defaults applied by the router: Ajv fills no defaults inside anyOf.
        by: T.Optional(
          FactNamesSchema("facts whose values make a group, for example [rule] or [rule, waba_id]", ["rule"]),
        ),
        interval: T.Optional(
          T.String({
            pattern: POSITIVE_DURATION_PATTERN,
            default: "5m",
            description: "a duration longer than 0, such as 30s, 5m or 1h",
          }),
        ),
      },
      opts,
    ),
  ],
  {
    description:
      "false, or { by: [rule], interval: 5m }: gather alerts of a group into one digest per interval",
  },
);

/** Route is one entry of `routes`: alerts matching `match` also go to `notify`; `continue: false` stops there. */
export const Route = <M extends TSchema>(match: M) =>
  T.Object(
    {
      match,
      notify: T.Array(Name, { minItems: 1, description: "channels the matching alerts also go to" }),
      continue: T.Boolean({
        default: false,
        description: "true: keep trying the routes below after this one matched",
      }),
    },
    opts,
  );

/** RouteMatch is a route's `match` as editors see it; the loader checks it by hand, with did-you-means. */
export const RouteMatch = MatchersSchema(
  'facts the alert must have: { waba_id: "123" }, { rule: [a, b] }, …',
);

/** GroupConfig is a channel's `group` setting as written (absent: the channel type's default). */
export type GroupConfig = Static<typeof Group>;
/** RouteConfig is one `routes:` entry; `match` holds scalars or lists of them (checked by the loader). */
export type RouteConfig = Omit<Static<ReturnType<typeof Route>>, "match"> & {
  match: Record<string, string | number | boolean | (string | number | boolean)[]>;
};
