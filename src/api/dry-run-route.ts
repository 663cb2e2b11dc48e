// POST /api/rules/dry-run: pasted events through the loaded rules in memory, with the explain trace.
import type { FastifyPluginAsync } from "fastify";
import type { Alert } from "../model/alert.js";
import type { Problem } from "../shared/problems.js";

/** DRY_RUN_MAX_CHARS bounds the pasted text (about a thousand typical webhook bodies). */
export const DRY_RUN_MAX_CHARS = 1_000_000;

/** DryRunAnswer is the dry run's outcome as the route needs it (the engine is wired in by app.ts). */
export type DryRunAnswer =
  | {
      ok: true;
      events: number;
      rules: number;
      alerts: Array<{ alert: Alert; at: string }>;
      explain: string;
    }
  | { ok: false; problems: Problem[] };

/** DryRunRouteOptions carry the engine: `run(text)` evaluates pasted text against the rules in force. */
export interface DryRunRouteOptions {
  run(text: string): Promise<DryRunAnswer>;
}

const Body = {
  type: "object",
  required: ["events"],
  properties: {
    events: {
      type: "string",
      minLength: 1,
      maxLength: DRY_RUN_MAX_CHARS,
      description: "a Meta webhook body, a JSON array of bodies or events, or JSON lines",
    },
  },
  additionalProperties: false,
} as const;

/** dryRunRoute registers POST /rules/dry-run inside the admin API (its auth hook applies). */
export const dryRunRoute: FastifyPluginAsync<DryRunRouteOptions> = async (app, opts) => {
  app.post<{ Body: { events: string } }>("/rules/dry-run", { schema: { body: Body } }, async (req, reply) => {
    const result = await opts.run(req.body.events);
    if (!result.ok) {
      const problems = result.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
      return reply.code(400).send({ error: problems.join("\n"), problems: result.problems });
    }
    return {
      events: result.events,
      rules: result.rules,
      alerts: result.alerts.map(({ alert, at }) => ({ ...alert, at })),
      explain: result.explain,
    };
  });
};
