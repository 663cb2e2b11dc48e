// The config's parts that decide who reaches what over HTTP: the server (and where /metrics lives), the admin token and Bull Board.
import { Type as T } from "@sinclair/typebox";
import { opts, Size } from "./schema-parts.js";

/** Server is `server`: where the HTTP server listens, its body limit, and /metrics' own port and token. */
export const Server = T.Object(
  {
    host: T.String({ default: "0.0.0.0" }),
    port: T.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    body_limit: { ...Size, default: "3mb" },
    // Optional in the type (the loader fills in the defaults), so configs built in code need not name them.
    metrics_port: T.Optional(
      T.Integer({
        minimum: 0,
        maximum: 65535,
        default: 0,
        description:
          "serve/start: a separate listener (on server.host) for /metrics, /healthz and /readyz; /metrics then leaves server.port. 0 = /metrics on server.port",
      }),
    ),
    metrics_token: T.Optional(
      T.String({
        default: "",
        description: "bearer token /metrics asks for (every process, workers included); empty = open",
      }),
    ),
  },
  { ...opts, default: {} },
);

/** Admin is `admin`: the admin token (API, console, Bull Board) and what Bull Board lets it do. */
export const Admin = T.Object(
  {
    token: T.String({ default: "" }),
    // Optional in the type (the loader fills in the default), so configs built in code need not name it.
    queue_board: T.Optional(
      T.Union([T.Literal("readonly"), T.Literal("full"), T.Literal("off")], {
        default: "readonly",
        description:
          "Bull Board at /admin/queues (with admin.token): readonly shows queues and jobs; full also lets the token pause, add, retry, clean, empty and obliterate; off removes it",
      }),
    ),
  },
  { ...opts, default: {} },
);
