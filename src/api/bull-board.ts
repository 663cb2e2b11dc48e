// Bull Board under /admin/queues, behind the admin token (Bearer, or Basic with the token as password for browsers).
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { Queue } from "bullmq";
import type { FastifyPluginAsync } from "fastify";
import { basicPassword, bearerMatches, secretEquals } from "../shared/secrets.js";

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
  return secretEquals(basicPassword(header), expected);
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
    queues: opts.queues.map((q) => new BullMQAdapter(q)),
    // @bull-board/fastify pins its own copy of @bull-board/api one patch behind ours; the classes differ
    // only in private members, which TypeScript compares nominally.
    serverAdapter: adapter as unknown as ServerAdapter,
  });
  await app.register(adapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
};
