// Bull Board under /admin/queues, behind the admin token (Bearer, or Basic with the token as password for browsers).
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { Queue } from "bullmq";
import type { FastifyPluginAsync } from "fastify";
import { bearerMatches } from "../shared/secrets.js";

type ServerAdapter = Parameters<typeof createBullBoard>[0]["serverAdapter"];

/** BULL_BOARD_PATH is where the queue dashboard is mounted. */
export const BULL_BOARD_PATH = "/admin/queues";

/** BullBoardOptions are the token and the queues to show. */
export interface BullBoardOptions {
  token: string;
  queues: readonly Queue[];
}

/**
 * basicMatches accepts `Authorization: Basic base64(any-user:token)`, so a browser's login prompt can
 * open the dashboard, whose pages load scripts that cannot carry a bearer header.
 */
export function basicMatches(header: string | undefined, expected: string): boolean {
  if (!expected || !header?.startsWith("Basic ")) return false;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 && bearerMatches(`Bearer ${decoded.slice(colon + 1)}`, expected);
}

/** bullBoard registers the dashboard; register it only when a token is set. */
export const bullBoard: FastifyPluginAsync<BullBoardOptions> = async (app, opts) => {
  app.addHook("onRequest", async (req, reply) => {
    const header = req.headers.authorization;
    if (bearerMatches(header, opts.token) || basicMatches(header, opts.token)) return;
    return reply
      .code(401)
      .header("www-authenticate", 'Basic realm="waba-alerts queues"')
      .send({ error: "missing or wrong admin token" });
  });
  const adapter = new FastifyAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    // Partitions share their queue's name: their key prefix tells them apart (Bull Board keys queues by name).
    queues: opts.queues.map(
      (q, _, all) =>
        new BullMQAdapter(q, all.filter((o) => o.name === q.name).length > 1 ? { prefix: `${q.opts.prefix}:` } : {}),
    ),
    // @bull-board/fastify pins its own copy of @bull-board/api one patch behind ours; the classes differ
    // only in private members, which TypeScript compares nominally.
    serverAdapter: adapter as unknown as ServerAdapter,
  });
  await app.register(adapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
};
