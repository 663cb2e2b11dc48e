// Request and response schemas of the admin API (TypeBox → JSON Schema, validated by Fastify).
import { Type as T } from "@sinclair/typebox";

/** ErrorReply is every admin API error body. */
export const ErrorReply = T.Object({ error: T.String() });

/** ProblemSchema is a positioned rule or config problem. */
export const ProblemSchema = T.Object({
  file: T.String(),
  line: T.Integer(),
  col: T.Integer(),
  message: T.String(),
});

/** ThresholdView is a rule's threshold in GET /api/rules: `kind` says which of the other keys it has. */
export const ThresholdView = T.Object({
  kind: T.Union([T.Literal("count"), T.Literal("distinct"), T.Literal("ratio"), T.Literal("spike")]),
  within_seconds: T.Number(),
  more_than: T.Optional(T.Integer()),
  distinct: T.Optional(T.String()),
  ratio: T.Optional(T.Object({ more_than: T.Number(), of: T.Unknown() })),
  min_of: T.Optional(T.Integer()),
  spike: T.Optional(T.Object({ more_than: T.Number(), baseline_seconds: T.Number() })),
  min: T.Optional(T.Integer()),
  /** Ratio and spike rules count in buckets of this size (the window is the newest 60 or fewer). */
  resolution_seconds: T.Optional(T.Number()),
  baseline_resolution_seconds: T.Optional(T.Number()),
});

/** AbsentView is an absent rule's `absent:` block in GET /api/rules. */
export const AbsentView = T.Object({
  for_seconds: T.Number(),
  after: T.Integer(),
  within_seconds: T.Number(),
  resolution_seconds: T.Number(),
});

/** InhibitionView is one `inhibit:` entry as GET /api/rules shows it (matchers as lists of text values). */
const InhibitionView = T.Object({
  source: T.Record(T.String(), T.Array(T.String())),
  target: T.Record(T.String(), T.Array(T.String())),
  equal: T.Array(T.String()),
  at: T.String({ description: "file:line:col of the entry" }),
});

/** RulesReply is GET /api/rules. */
export const RulesReply = T.Object({
  rules: T.Array(
    T.Object({
      id: T.String(),
      description: T.String(),
      severity: T.String(),
      group_by: T.Array(T.String()),
      threshold: T.Union([T.Null(), ThresholdView]),
      absent: T.Union([T.Null(), AbsentView]),
      cooldown_seconds: T.Number(),
      notify: T.Array(T.String()),
      source: T.String(),
    }),
  ),
  inhibitions: T.Array(InhibitionView),
  errors: T.Array(ProblemSchema),
});

/** AlertsQuery is the query string of GET /api/alerts. */
export const AlertsQuery = T.Object(
  {
    rule: T.Optional(T.String()),
    severity: T.Optional(T.Union([T.Literal("info"), T.Literal("warning"), T.Literal("critical")])),
    state: T.Optional(
      T.Union([
        T.Literal("firing"),
        T.Literal("resolved"),
        T.Literal("silenced"),
        T.Literal("superseded"),
        T.Literal("inhibited"),
      ]),
    ),
    code: T.Optional(T.Integer({ minimum: 0 })),
    phone_number_id: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
    from: T.Optional(T.String({ format: "date-time", description: "created at or after" })),
    to: T.Optional(T.String({ format: "date-time", description: "created before" })),
    limit: T.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: T.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

/** SilenceBody is POST /api/silences: `ends_at` or `duration`, matchers on rule and facts. */
export const SilenceBody = T.Object(
  {
    matchers: T.Record(T.String({ minLength: 1 }), T.Union([T.String(), T.Number(), T.Boolean()]), {
      minProperties: 1,
    }),
    starts_at: T.Optional(T.String({ format: "date-time" })),
    ends_at: T.Optional(T.String({ format: "date-time" })),
    duration: T.Optional(T.String({ pattern: "^\\d+(ms|s|m|h|d)$" })),
    comment: T.Optional(T.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

/** IdParams is a route's `:id`. */
export const IdParams = T.Object({ id: T.String({ minLength: 1, maxLength: 200 }) });
