// The one schema of a rule file; the RuleFile/RuleDoc types and the published JSON Schema derive from it.
import { type Static, Type as T } from "@sinclair/typebox";
import type { Severity } from "../model/alert.js";
import { DURATION_PATTERN, POSITIVE_DURATION_PATTERN } from "../shared/duration.js";
import { EXACT_FACTS } from "./facts.js";
import { FactNamesSchema, MatchersSchema } from "./matchers.js";
import { conditionSchema, WHEN_DEFINITIONS, WhenSchema } from "./when-schema.js";

export { OPERATORS, type Operator } from "./when-schema.js";

/** SEVERITIES are the values of a rule's `severity`, least urgent first. */
export const SEVERITIES: readonly Severity[] = Object.freeze(["info", "warning", "critical"]);

/** RULE_ID_PATTERN is what a rule id may look like: lowercase letters, digits and dashes. */
export const RULE_ID_PATTERN = /^[a-z0-9-]+$/;

const opts = { additionalProperties: false } as const;

// Durations and `when` are described fully for editors, but the loader drops Ajv's errors there:
// validate.ts and validate-when.ts check them by hand with messages that say how to fix them.
const DURATION_EXAMPLES = ["30s", "10m", "2h", "1d"];
const Duration = (description: string) =>
  T.String({ pattern: DURATION_PATTERN, description, examples: DURATION_EXAMPLES });
const PositiveDuration = (description: string) =>
  T.String({ pattern: POSITIVE_DURATION_PATTERN, description, examples: DURATION_EXAMPLES });

/** A fact name for group_by and distinct; the known names are offered, the loader checks them. */
const FactName = (description?: string) =>
  T.String({ examples: EXACT_FACTS, ...(description ? { description } : {}) });

const Threshold = T.Object(
  {
    more_than: T.Optional(
      T.Integer({
        minimum: 0,
        description: "fires on the (N+1)th matching event (or distinct value) inside the window",
      }),
    ),
    within: PositiveDuration("the trailing window, on event time: 30s, 10m, 2h, 1d"),
    distinct: T.Optional(FactName("count distinct values of this fact instead of events")),
    ratio: T.Optional(
      T.Object(
        {
          more_than: T.Number({
            minimum: 0,
            exclusiveMaximum: 1,
            description: "a share between 0 and 1: 0.05 fires above 5 % of the events matching `of`",
          }),
          of: conditionSchema("the events to compare with (the denominator), written like `when`"),
        },
        { ...opts, description: "fire on the share of matching events among the events matching `of`" },
      ),
    ),
    min_of: T.Optional(
      T.Integer({ minimum: 1, description: "ratio rules: fire only while at least N events match `of`" }),
    ),
    spike: T.Optional(
      T.Object(
        {
          more_than: T.Number({
            minimum: 1,
            description: "a factor: 3 fires above three times the usual count per window",
          }),
          baseline: PositiveDuration("how far back the usual count is averaged, before the window: 24h, 7d"),
        },
        { ...opts, description: "fire when the window's count jumps over its usual level" },
      ),
    ),
    min: T.Optional(T.Integer({ minimum: 1, description: "spike rules: fire only from this count up" })),
  },
  opts,
);

const Absent = T.Object(
  {
    for: PositiveDuration("silence this long (arrival clock) fires: 15m"),
    after: T.Integer({
      minimum: 1,
      description: "only groups that had at least this many matching events within `within` are watched",
    }),
    within: PositiveDuration("the window `after` is counted in: 1h"),
  },
  { ...opts, description: "fire when a busy group stops sending matching events (instead of threshold)" },
);

/**
 * RuleSchema is one entry of a rule file's `rules:` list (SPEC.md "Rules"); its `when` refers to
 * RuleFileSchema's `definitions`, so compile RuleFileSchema, not this.
 */
export const RuleSchema = T.Object(
  {
    id: T.String({ pattern: RULE_ID_PATTERN.source, description: "unique across all files" }),
    description: T.String({ minLength: 1 }),
    // An enum rather than a union of literals: Ajv then says "must be one of …" once, not three times.
    severity: T.Optional(T.Unsafe<Severity>({ type: "string", enum: SEVERITIES })),
    when: WhenSchema,
    group_by: T.Array(FactName(), { default: [] }),
    threshold: T.Optional(Threshold),
    absent: T.Optional(Absent),
    cooldown: T.Optional(Duration("after firing, this rule+group stays quiet this long: 30s, 10m, 2h, 1d")),
    resolve_after: T.Optional(
      PositiveDuration("below the threshold this long after firing → alert.resolved: 30s, 10m, 2h, 1d"),
    ),
    notify: T.Optional(T.Array(T.String())),
    actions: T.Array(T.String(), { default: [] }),
    enabled: T.Boolean({ default: true }),
  },
  opts,
);

/** InhibitSchema is one entry of a rule file's `inhibit:` list (SPEC.md "Floods, inhibition and routing"). */
export const InhibitSchema = T.Object(
  {
    source: MatchersSchema(
      "while an alert matching this fires (rule, severity, group and event facts), targets are held back",
    ),
    target: MatchersSchema("the alerts to hold back, for example { code: [132015, 132016] }"),
    equal: FactNamesSchema(
      "facts that must have the same value on the source and the target, for example [waba_id]",
      [],
    ),
  },
  opts,
);

/** RuleFileSchema is a whole rule file: `{ rules: [...], inhibit: [...] }`, both optional. */
export const RuleFileSchema = T.Object(
  {
    rules: T.Array(RuleSchema, { default: [] }),
    inhibit: T.Optional(
      T.Array(InhibitSchema, {
        description: "inhibitions: alerts that are recorded but not sent while another alert fires",
      }),
    ),
  },
  {
    ...opts,
    $id: "https://waba-alerts.dev/schema/rules.json",
    title: "waba-alerts rule file",
    definitions: WHEN_DEFINITIONS,
  },
);

/** RuleDoc is one rule as written, after the schema check and its defaults. */
export type RuleDoc = Static<typeof RuleSchema>;
/** RuleFile is a rule file as written, after the schema check. */
export type RuleFile = Static<typeof RuleFileSchema>;
/** InhibitDoc is one `inhibit:` entry as written. */
export type InhibitDoc = Static<typeof InhibitSchema>;
