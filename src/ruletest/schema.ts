// The one schema of a rule unit-test file (`rules/*.test.yaml`); parse.ts documents the format.
import { type Static, Type as T } from "@sinclair/typebox";

const opts = { additionalProperties: false } as const;

// Times and durations are typed loosely on purpose: parse.ts checks them by hand so the message says
// how to write them, as the rules loader does for its durations.
const Time = T.Unknown({
  description: 'a time: "+30s" / "+10m" from the test\'s start, ISO-8601, or unix seconds',
});
const Duration = T.Unknown({ description: "30s, 10m, 2h, 1d" });

const RuleFiles = T.Array(T.String(), {
  description: "rule files to load, relative to this file (default: every rule file in this directory)",
});

/** EventSpecSchema is one inline event: any facts (dotted names allowed), plus when and how often. */
export const EventSpecSchema = T.Object(
  {
    at: T.Optional(Time),
    repeat: T.Optional(T.Integer({ minimum: 1, maximum: 10_000, description: "send this event N times" })),
    every: T.Optional(Duration),
    quiet: T.Optional(
      T.Unknown({
        description:
          "a step of its own, { quiet: 20m }: then nothing for this long (the clock moves on; silent groups of absent rules fire)",
      }),
    ),
  },
  {
    additionalProperties: true,
    description:
      "an event's facts (code, phone_number_id, template.name, …), plus at, repeat and every; or { quiet: 20m }",
  },
);

/** ExpectedAlertSchema is one alert a test expects; a field left out is not compared. */
export const ExpectedAlertSchema = T.Object(
  {
    rule: T.String({ description: "the rule id" }),
    group: T.Optional(
      T.Record(T.String(), T.Union([T.String(), T.Number(), T.Boolean()]), {
        description: "the group_by values of the alert, every one of them",
      }),
    ),
    count: T.Optional(T.Integer({ minimum: 0, description: "the count the alert reports (0: an absence)" })),
    of_count: T.Optional(
      T.Integer({ minimum: 0, description: "ratio rules: the events matching `of` it reports" }),
    ),
    baseline_count: T.Optional(
      T.Number({ minimum: 0, description: "spike rules: the usual count per window it reports" }),
    ),
    at_event: T.Optional(T.Integer({ minimum: 1, description: "1-based index of the event that fired it" })),
    at: T.Optional(Time),
    inhibited: T.Optional(
      T.Boolean({ description: "true: an inhibition holds the alert back (recorded, not sent); false: it is sent" }),
    ),
    channels: T.Optional(
      T.Array(T.String(), {
        description: "every channel the alert reaches (the rule's notify plus the config's routes), in any order",
      }),
    ),
  },
  opts,
);

/** RuleTestSchema is one test case: events in, alerts expected out. */
export const RuleTestSchema = T.Object(
  {
    name: T.String({ minLength: 1 }),
    rules: T.Optional(RuleFiles),
    start: T.Optional(Time),
    events: T.Optional(T.Array(EventSpecSchema, { description: "inline events, run in the order written" })),
    events_file: T.Optional(
      T.String({ description: "a Meta webhook body, JSON array or JSON lines file, relative to this file" }),
    ),
    expect: T.Object(
      {
        alerts: T.Array(ExpectedAlertSchema, {
          description: "every alert that fires, in order; [] = silence",
        }),
      },
      opts,
    ),
  },
  opts,
);

/** RuleTestFileSchema is a whole rule test file: optional file-wide `rules`/`start`, then `tests:`. */
export const RuleTestFileSchema = T.Object(
  {
    rules: T.Optional(RuleFiles),
    start: T.Optional(Time),
    tests: T.Array(RuleTestSchema, { minItems: 1 }),
  },
  { ...opts, $id: "https://waba-alerts.dev/schema/rule-tests.json", title: "waba-alerts rule test file" },
);

/** RuleTestFileDoc is a rule test file as written, after the schema check. */
export type RuleTestFileDoc = Static<typeof RuleTestFileSchema>;
/** RuleTestDoc is one test case as written. */
export type RuleTestDoc = Static<typeof RuleTestSchema>;
/** EventSpecDoc is one inline event as written. */
export type EventSpecDoc = Static<typeof EventSpecSchema>;
/** ExpectedAlertDoc is one expected alert as written. */
export type ExpectedAlertDoc = Static<typeof ExpectedAlertSchema>;
