// Bull Board under /admin/queues, behind the admin token (Bearer, or Basic with the token as password for browsers).
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { Queue } from "bullmq";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { maskDeep } from "../shared/mask.js";
import { basicPassword, bearerMatches, secretEquals } from "../shared/secrets.js";

type ServerAdapter = Parameters<typeof createBullBoard>[0]["serverAdapter"];

/** BULL_BOARD_PATH is where the queue dashboard is mounted. */
export const BULL_BOARD_PATH = "/admin/queues";

/** QueueBoardMode is `admin.queue_board` for a board that is shown: look only, or every action. */
export type QueueBoardMode = "readonly" | "full";

/** BullBoardOptions are the token, the queues to show, what the token may do there, and whether to mask job data. */
export interface BullBoardOptions {
  token: string;
  queues: readonly Queue[];
  /** Default readonly: pausing a queue stops alerting while ingest still answers 200, adding injects unsigned events. */
  mode?: QueueBoardMode;
  /** alerts.mask_phone_numbers: customer numbers in shown job data are masked (default on). */
  mask?: boolean;
}

/**
 * BOARD_CSP lets the board load its own scripts, styles and API calls only: no other origin (its Google
 * Fonts link is refused; the system font is used), no framing. Its markup carries inline styles.
 */
export const BOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * basicMatches accepts `Authorization: Basic base64(any-user:token)`, so a browser's login prompt can
 * open the dashboard, whose pages load scripts that cannot carry a bearer header.
 */
export function basicMatches(header: string | undefined, expected: string): boolean {
  return secretEquals(basicPassword(header), expected);
}

function secure(reply: FastifyReply): void {
  reply
    .header("content-security-policy", BOARD_CSP)
    .header("x-frame-options", "DENY")
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer");
}

/** bullBoard registers the dashboard; register it only when a token is set and admin.queue_board is not off. */
export const bullBoard: FastifyPluginAsync<BullBoardOptions> = async (app, opts) => {
  const readOnly = (opts.mode ?? "readonly") === "readonly";
  app.addHook("onRequest", async (req, reply) => {
    secure(reply);
    const header = req.headers.authorization;
    if (!bearerMatches(header, opts.token) && !basicMatches(header, opts.token)) {
      return reply
        .code(401)
        .header("www-authenticate", 'Basic realm="waba-alerts queues"')
        .send({ error: "missing or wrong admin token" });
    }
    // Every write of the board is a PUT, POST or PATCH; refusing them here does not depend on the library
    // checking each route (its own read-only mode answers the same).
    if (readOnly && req.method !== "GET" && req.method !== "HEAD") {
      return reply.code(405).header("allow", "GET, HEAD").send({
        error:
          "the queue board is read-only (admin.queue_board: readonly); set admin.queue_board: full to pause, add, retry, clean, empty or obliterate",
      });
    }
  });
  const adapter = new FastifyAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    // Partitions share their queue's name: their key prefix tells them apart (Bull Board keys queues by name).
    queues: opts.queues.map((q, _, all) => {
      const partitioned = all.filter((o) => o.name === q.name).length > 1;
      const board = new BullMQAdapter(q, {
        readOnlyMode: readOnly,
        allowRetries: !readOnly,
        ...(partitioned ? { prefix: `${q.opts.prefix}:` } : {}),
      });
      // Queued events are raw webhook facts: an operator looking at them sees customer numbers masked.
      if (opts.mask ?? true) board.setFormatter("data", (data: unknown) => maskDeep(data));
      return board;
    }),
    // @bull-board/fastify pins its own copy of @bull-board/api one patch behind ours; the classes differ
    // only in private members, which TypeScript compares nominally.
    serverAdapter: adapter as unknown as ServerAdapter,
  });
  await app.register(adapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
};
