// The one schema of the config file; the Config type and the published JSON Schema both derive from it.
import { type Static, type TSchema, Type as T } from "@sinclair/typebox";
import { Admin, Server } from "./access-schema.js";
import { Retention } from "./retention-schema.js";
import { Group, Route, RouteMatch } from "./routing-schema.js";
import { Duration, Name, opts, Size } from "./schema-parts.js";

const Redis = T.Object(
  {
    url: T.String({ default: "redis://127.0.0.1:6379" }),
    cluster: T.Optional(
      T.Array(T.String({ pattern: "^rediss?://", description: "a redis:// or rediss:// URL" }), {
        minItems: 1,
        description:
          "seed nodes of a Redis Cluster (redis://host:port, credentials and TLS from the first); when set, url is not used",
      }),
    ),
    partitions: T.Integer({
      minimum: 1,
      maximum: 64,
      default: 1,
      description:
        "split the events and notifications queues into this many, each under its own hash tag (spreads queue traffic over a cluster's masters); every process must use the same number",
    }),
    prefix: T.String({ default: "waba-alerts", pattern: "^[A-Za-z0-9_.:-]+$" }),
  },
  { ...opts, default: {} },
);

const WhatsApp = T.Object(
  {
    app_secret: T.String({ default: "change-me" }),
    verify_token: T.String({ default: "change-me" }),
  },
  { ...opts, default: {} },
);

const Relay = T.Object(
  {
    token: T.Optional(
      T.String({
        description: "bearer token the relay sends as `Authorization: Bearer <token>`; empty = off",
      }),
    ),
    secret: T.Optional(
      T.String({ description: "HMAC-SHA256 key: the relay signs the raw body as sha256=<hex>; empty = off" }),
    ),
    header: T.Optional(
      T.String({
        pattern: "^[A-Za-z0-9-]+$",
        description: "the header that carries the relay's sha256=<hex> signature (with `secret`)",
      }),
    ),
  },
  { ...opts, description: "a BSP forwarding Meta's envelope: either `token`, or `secret` with `header`" },
);

const Ingest = T.Object(
  {
    token: T.String({ default: "" }),
    // Optional in the type (the loader fills in {}), so configs built in code need not name it.
    relays: T.Optional(
      T.Record(Name, Relay, {
        default: {},
        description: "BSPs that POST Meta's envelope to /webhooks/relay/NAME, by NAME",
      }),
    ),
  },
  { ...opts, default: {} },
);

const Rules = T.Object(
  {
    paths: T.Array(T.String(), { default: ["./rules"] }),
    watch: T.Boolean({ default: true }),
    max_future_skew: {
      ...Duration("5m"),
      description:
        "events further than this ahead of the receiving clock are counted nowhere (outcome future)",
    },
    max_window_entries: T.Integer({
      minimum: 10,
      default: 100_000,
      description:
        "the most events (and distinct values) one rule+group window keeps; past it the oldest give way",
    }),
    // Optional in the type (the loader fills in the defaults), so configs built in code need not name them.
    max_file_size: T.Optional({
      ...Size,
      default: "1mb",
      description: "a larger rule file is refused (the last good rules stay in force)",
    }),
    max_files: T.Optional(
      T.Integer({
        minimum: 1,
        default: 1000,
        description: "the most rule files rules.paths may hold; more are refused",
      }),
    ),
  },
  { ...opts, default: {} },
);

const Email = T.Object(
  {
    from: T.String({ default: "WABA Alerts <alerts@localhost>" }),
    smtp: T.String({ default: "" }),
    outbox: T.String({ default: "./outbox" }),
  },
  { ...opts, default: {} },
);

const EmailChannel = T.Object(
  {
    type: T.Literal("email"),
    to: T.Array(T.String(), { minItems: 1 }),
    cc: T.Optional(T.Array(T.String())),
    send_resolved: T.Boolean({ default: true }),
    group: T.Optional(Group),
  },
  opts,
);

const WebhookChannel = T.Object(
  {
    type: T.Literal("webhook"),
    url: T.String({ pattern: "^https?://" }),
    secret: T.String({ default: "" }),
    headers: T.Record(T.String(), T.String(), { default: {} }),
    timeout: Duration("10s"),
    format: T.Union([T.Literal("json"), T.Literal("slack"), T.Literal("teams"), T.Literal("google-chat")], {
      default: "json",
    }),
    template: T.Optional(T.String({ description: "a Handlebars body template; overrides format" })),
    send_resolved: T.Boolean({ default: true }),
    group: T.Optional(Group),
  },
  opts,
);

const Channel = T.Union([EmailChannel, WebhookChannel]);

const Defaults = T.Object(
  {
    notify: T.Array(Name, { default: ["ops"] }),
    cooldown: Duration("15m"),
    severity: T.Union([T.Literal("info"), T.Literal("warning"), T.Literal("critical")], {
      default: "warning",
    }),
  },
  { ...opts, default: {} },
);

const Notify = T.Object(
  {
    attempts: T.Integer({ minimum: 1, default: 40 }),
    backoff: Duration("2s"),
    max_backoff: Duration("1h"),
  },
  { ...opts, default: {} },
);

const Workers = T.Object(
  {
    concurrency: T.Integer({ minimum: 1, maximum: 256, default: 4 }),
    metrics_port: T.Integer({
      minimum: 0,
      maximum: 65535,
      default: 0,
      description: "port for /metrics and /healthz of a `worker` process; 0 = off",
    }),
  },
  { ...opts, default: {} },
);

const Alerts = T.Object(
  {
    mask_phone_numbers: T.Boolean({ default: true }),
    samples: T.Integer({ minimum: 0, maximum: 50, default: 5 }),
    history_size: T.Integer({ minimum: 10, default: 10000 }),
    // Optional in the type (the loader fills in the default), so configs built in code need not name it.
    history_max_age: T.Optional({
      ...Duration("30d"),
      description: "alerts older than this leave the history, however few are kept",
    }),
  },
  { ...opts, default: {} },
);

const CatalogOverride = T.Object(
  {
    title: T.Optional(T.String()),
    category: T.Optional(T.String()),
    meaning: T.Optional(T.String()),
    causes: T.Optional(T.Array(T.String())),
    actions: T.Optional(T.Array(T.String())),
    retryable: T.Optional(T.Boolean()),
    docs_url: T.Optional(T.String()),
  },
  opts,
);

const Log = T.Object(
  {
    level: T.Union(
      ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((l) => T.Literal(l)),
      { default: "info" },
    ),
    format: T.Union([T.Literal("pretty"), T.Literal("json")], {
      default: "pretty",
      description:
        "pretty: coloured lines when stdout is a terminal (JSON otherwise); json: always JSON lines with ISO-8601 times",
    }),
  },
  { ...opts, default: {} },
);

function configSchema<C extends TSchema, M extends TSchema>(channel: C, match: M) {
  return T.Object(
    {
      server: Server,
      redis: Redis,
      whatsapp: WhatsApp,
      ingest: Ingest,
      rules: Rules,
      email: Email,
      channels: T.Record(Name, channel, { default: {} }),
      routes: T.Array(Route(match), {
        default: [],
        description: "tried in order on each alert's rule, group and event facts; a match adds its channels",
      }),
      defaults: Defaults,
      notify: Notify,
      admin: Admin,
      workers: Workers,
      alerts: Alerts,
      // Optional in the type (the loader fills in {}), so configs built in code need not name it.
      retention: T.Optional(Retention),
      catalog: T.Record(T.String({ pattern: "^\\d+$" }), CatalogOverride, { default: {} }),
      log: Log,
    },
    { ...opts, $id: "https://waba-alerts.dev/schema/config.json", title: "waba-alerts config" },
  );
}

/** ConfigSchema is the whole config file's schema, with every default of SPEC.md "Config". */
export const ConfigSchema = configSchema(Channel, RouteMatch);

/**
 * ConfigShapeSchema is ConfigSchema with channels and route matchers left open: the loader checks
 * each channel by its type and each matcher by hand, with did-you-means.
 */
export const ConfigShapeSchema = configSchema(T.Object({ type: T.String() }), T.Unknown());

/** ChannelSchemas maps a channel `type` to the schema of that channel. */
export const ChannelSchemas = { email: EmailChannel, webhook: WebhookChannel } as const;

/** Config is a validated config file with defaults filled in (deep-frozen by the loader). */
export type Config = Static<typeof ConfigSchema>;
/** ChannelConfig is one entry of `channels`. */
export type ChannelConfig = Static<typeof Channel>;
/** EmailChannelConfig is a channel of `type: email`. */
export type EmailChannelConfig = Static<typeof EmailChannel>;
/** WebhookChannelConfig is a channel of `type: webhook`. */
export type WebhookChannelConfig = Static<typeof WebhookChannel>;
/** RelayConfigEntry is one entry of `ingest.relays`. */
export type RelayConfigEntry = Static<typeof Relay>;
export type { GroupConfig, RouteConfig } from "./routing-schema.js";
/** CatalogOverrideConfig is one `catalog:` entry that changes or adds an error code. */
export type CatalogOverrideConfig = Static<typeof CatalogOverride>;
