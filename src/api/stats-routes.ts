// GET /api/stats (activity over time) and GET /api/rules/stats (per-rule counts), from the workers' Redis counters.
import type { FastifyPluginAsync } from "fastify";
import type { AlertHistory } from "../alerts/history.js";
import type { RuleSet } from "../rules/types.js";
import { parseStatsQuery, type RawStatsQuery, STATS_MEASURES, type StatsReader } from "../stats/index.js";
import { ErrorReply } from "./schemas.js";

/** StatsRouteOptions are the counters' reader and the rules whose counts the Rules page shows. */
export interface StatsRouteOptions {
  stats: StatsReader;
  rules: { current(): RuleSet };
  history: AlertHistory;
  now: () => number;
}

const StatsQueryString = {
  type: "object",
  properties: {
    from: { type: "string", description: "ISO-8601 start (default: an hour before `to`)" },
    to: { type: "string", description: "ISO-8601 end, exclusive (default: now)" },
    step: { type: "string", description: "whole minutes, hours or days: 1m, 5m, 1h, 1d (default 1m)" },
    by: { type: "string", enum: Object.keys(STATS_MEASURES), description: "what each series is keyed by" },
    count: {
      type: "string",
      description: "errors | events (phone_number_id) | matches | evaluations (rule)",
    },
    top: {
      type: "integer",
      minimum: 1,
      maximum: 100,
      description: "keep the N largest series, sum the rest",
    },
  },
  additionalProperties: false,
} as const;

const StatsReplySchema = {
  type: "object",
  properties: {
    step_seconds: { type: "integer" },
    from: { type: "string" },
    to: { type: "string" },
    series: {
      type: "array",
      items: {
        type: "object",
        properties: {
          key: { type: "string" },
          total: { type: "integer" },
          points: {
            type: "array",
            items: { type: "array", items: [{ type: "string" }, { type: "integer" }] },
          },
        },
      },
    },
  },
} as const;

/** LAST_FIRED_SCAN is how many of the newest alerts are looked through for each rule's last firing. */
export const LAST_FIRED_SCAN = 1000;

/** lastFired maps each rule id to the creation time of its newest firing alert among the recent ones. */
async function lastFired(history: AlertHistory): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const { alert } of await history.list({ limit: LAST_FIRED_SCAN })) {
    if (alert.type === "alert.firing" && !(alert.rule.id in out)) out[alert.rule.id] = alert.created_at;
  }
  return out;
}

/** RULE_STATS_HOURS is the span the Rules page's evaluation and match counts cover. */
export const RULE_STATS_HOURS = 24;

/** statsRoutes registers the stats endpoints inside the admin API (its auth hook applies). */
export const statsRoutes: FastifyPluginAsync<StatsRouteOptions> = async (app, opts) => {
  app.get<{ Querystring: RawStatsQuery }>(
    "/stats",
    { schema: { querystring: StatsQueryString, response: { 200: StatsReplySchema, 400: ErrorReply } } },
    async (req, reply) => {
      const parsed = parseStatsQuery(req.query, opts.now());
      if (!parsed.ok) return reply.code(400).send({ error: parsed.error });
      return opts.stats.read(parsed.query);
    },
  );

  app.get("/rules/stats", async () => {
    const to = opts.now();
    const span = { fromMs: to - RULE_STATS_HOURS * 3_600_000, toMs: to, stepSec: 3600 };
    const [evaluations, matches, fired] = await Promise.all([
      opts.stats.read({ ...span, dim: "rule:evaluations" }),
      opts.stats.read({ ...span, dim: "rule:matches" }),
      lastFired(opts.history),
    ]);
    const total = (series: typeof evaluations.series, id: string) =>
      series.find((s) => s.key === id)?.total ?? 0;
    return {
      from: evaluations.from,
      to: evaluations.to,
      rules: opts.rules.current().rules.map((r) => ({
        id: r.id,
        evaluations: total(evaluations.series, r.id),
        matches: total(matches.series, r.id),
        last_fired: fired[r.id] ?? null,
      })),
    };
  });
};
