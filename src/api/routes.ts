// The admin API under /api: rules, alerts with their deliveries, silences, dead letters. Bearer admin.token.
import type { FastifyPluginAsync } from "fastify";
import type { Static } from "@sinclair/typebox";
import type { AlertHistory } from "../alerts/history.js";
import { SilenceLimitError, type SilenceStore } from "../alerts/silences.js";
import type { Matchers, RuleLoadResult, RuleSet, Threshold } from "../rules/types.js";
import { parseDuration } from "../shared/duration.js";
import type { Problem } from "../shared/problems.js";
import type { StatsReader } from "../stats/index.js";
import { bearerMatches } from "../shared/secrets.js";
import { type DryRunRouteOptions, dryRunRoute } from "./dry-run-route.js";
import { AlertsQuery, ErrorReply, IdParams, RulesReply, SilenceBody, type ThresholdView } from "./schemas.js";
import { matcherProblems } from "./silence-check.js";
import { statsRoutes } from "./stats-routes.js";

/** DeadLetterAccess is what the API needs of the dead-letter list. */
export interface DeadLetterAccess {
  list(limit: number): Promise<unknown[]>;
  /** retry re-enqueues a dead letter; resolves false when there is no such id. */
  retry(id: string): Promise<boolean>;
}

/** AdminOptions are the admin API's collaborators, wired by app.ts. */
export interface AdminOptions {
  token: string;
  rules: { current(): RuleSet; lastProblems(): readonly Problem[]; reload(): Promise<RuleLoadResult> };
  history: AlertHistory;
  silences: SilenceStore;
  deadLetters?: DeadLetterAccess;
  /** The activity counters (GET /api/stats, /api/rules/stats). */
  stats?: StatsReader;
  /** The dry-run engine (POST /api/rules/dry-run). */
  dryRun?: DryRunRouteOptions["run"];
  now: () => number;
}

function rulesReply(rules: AdminOptions["rules"]): Static<typeof RulesReply> {
  const set = rules.current();
  const matchers = (m: Matchers) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, [...v]]));
  return {
    rules: set.rules.map((r) => ({
      id: r.id,
      description: r.description,
      severity: r.severity,
      group_by: [...r.groupBy],
      threshold: r.threshold ? thresholdView(r.threshold) : null,
      absent: r.absent
        ? {
            for_seconds: r.absent.forMs / 1000,
            after: r.absent.after,
            within_seconds: r.absent.withinMs / 1000,
            resolution_seconds: r.absent.resolutionMs / 1000,
          }
        : null,
      cooldown_seconds: r.cooldownMs / 1000,
      notify: [...r.notify],
      source: `${r.source.file}:${r.source.line}:${r.source.col}`,
    })),
    inhibitions: set.inhibitions.map((i) => ({
      source: matchers(i.source),
      target: matchers(i.target),
      equal: [...i.equal],
      at: `${i.at.file}:${i.at.line}:${i.at.col}`,
    })),
    errors: rules.lastProblems().map((p) => ({ ...p })),
  };
}

/** thresholdView is a threshold as /api/rules shows it: its kind, its line and, for buckets, their size. */
function thresholdView(t: Threshold): Static<typeof ThresholdView> {
  const within_seconds = t.withinMs / 1000;
  switch (t.kind) {
    case "count":
      return { kind: t.kind, more_than: t.moreThan, within_seconds };
    case "distinct":
      return { kind: t.kind, more_than: t.moreThan, within_seconds, distinct: t.distinct };
    case "ratio":
      return {
        kind: t.kind,
        within_seconds,
        ratio: { more_than: t.moreThan, of: t.of },
        min_of: t.minOf,
        resolution_seconds: t.resolutionMs / 1000,
      };
    case "spike":
      return {
        kind: t.kind,
        within_seconds,
        spike: { more_than: t.moreThan, baseline_seconds: t.baselineMs / 1000 },
        min: t.min,
        resolution_seconds: t.resolutionMs / 1000,
        baseline_resolution_seconds: t.baselineResolutionMs / 1000,
      };
  }
}

/** adminRoutes registers /api/*; register it with a `/api` prefix, and only when a token is set. */
export const adminRoutes: FastifyPluginAsync<AdminOptions> = async (app, opts) => {
  app.addHook("onRequest", async (req, reply) => {
    if (!bearerMatches(req.headers.authorization, opts.token)) {
      req.log.info({ url: req.url }, "admin API request refused: missing or wrong bearer token");
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="waba-alerts"')
        .send({ error: "missing or wrong bearer token" });
    }
  });
  app.setErrorHandler((err: { statusCode?: number; validation?: unknown; message: string }, req, reply) => {
    if (err.validation) return reply.code(400).send({ error: err.message });
    req.log.error({ err: err.message }, "admin API error");
    return reply
      .code(err.statusCode ?? 500)
      .send({ error: err.statusCode && err.statusCode < 500 ? err.message : "internal error" });
  });

  if (opts.stats) {
    await app.register(statsRoutes, {
      stats: opts.stats,
      rules: opts.rules,
      history: opts.history,
      now: opts.now,
    });
  }
  if (opts.dryRun) await app.register(dryRunRoute, { run: opts.dryRun });

  app.get("/rules", { schema: { response: { 200: RulesReply, 401: ErrorReply } } }, async () =>
    rulesReply(opts.rules),
  );

  app.post(
    "/rules/reload",
    { schema: { response: { 200: RulesReply, 422: RulesReply, 401: ErrorReply } } },
    async (_req, reply) => {
      const result = await opts.rules.reload();
      return reply.code(result.ok ? 200 : 422).send(rulesReply(opts.rules));
    },
  );

  app.get<{ Querystring: Static<typeof AlertsQuery> }>(
    "/alerts",
    { schema: { querystring: AlertsQuery } },
    async (req) => {
      const entries = await opts.history.list(req.query);
      const { limit, offset } = req.query;
      return { alerts: entries.map((e) => ({ ...e.alert, state: e.state })), limit, offset };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    "/alerts/:id",
    { schema: { params: IdParams } },
    async (req, reply) => {
      const entry = await opts.history.get(req.params.id);
      if (!entry) return reply.code(404).send({ error: `no alert with id ${req.params.id}` });
      return { alert: { ...entry.alert, state: entry.state }, deliveries: entry.deliveries };
    },
  );

  app.get<{ Querystring: { state: "active" | "expired" | "all" } }>(
    "/silences",
    {
      schema: {
        querystring: {
          type: "object",
          properties: { state: { type: "string", enum: ["active", "expired", "all"], default: "active" } },
          additionalProperties: false,
        },
      },
    },
    async (req) => ({ silences: await opts.silences.list(opts.now(), req.query.state) }),
  );

  app.post<{ Body: Static<typeof SilenceBody> }>(
    "/silences",
    { schema: { body: SilenceBody } },
    async (req, reply) => {
      const { matchers, starts_at, ends_at, duration, comment } = req.body;
      const now = opts.now();
      if ((ends_at === undefined) === (duration === undefined)) {
        return reply
          .code(400)
          .send({ error: 'give exactly one of "ends_at" (ISO-8601) or "duration" (e.g. "1h")' });
      }
      const end =
        ends_at !== undefined ? Date.parse(ends_at) : now + (parseDuration(duration as string) ?? 0);
      if (!(end > now))
        return reply.code(400).send({ error: "the silence would already be over; give a future ends_at" });
      const problems = matcherProblems(matchers, opts.rules.current());
      if (problems.length) return reply.code(400).send({ error: problems.join("\n"), problems });
      try {
        const silence = await opts.silences.create(
          {
            matchers,
            ends_at: new Date(end).toISOString(),
            ...(starts_at ? { starts_at } : {}),
            ...(comment ? { comment } : {}),
          },
          now,
        );
        return reply.code(201).send({ id: silence.id, silence });
      } catch (err) {
        if (err instanceof SilenceLimitError) return reply.code(409).send({ error: err.message });
        throw err;
      }
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>(
    "/silences/:id",
    { schema: { params: IdParams } },
    async (req, reply) => {
      // Expired, not deleted: it stays listed (state=expired) for a week, so what was muted stays visible.
      if (!(await opts.silences.expire(req.params.id, opts.now())))
        return reply.code(404).send({ error: `no active silence with id ${req.params.id}` });
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    "/dead-letters",
    {
      schema: {
        querystring: {
          type: "object",
          properties: { limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
          additionalProperties: false,
        },
      },
    },
    async (req) => ({ dead_letters: opts.deadLetters ? await opts.deadLetters.list(req.query.limit) : [] }),
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    "/dead-letters/:id/retry",
    { schema: { params: IdParams } },
    async (req, reply) => {
      if (!opts.deadLetters || !(await opts.deadLetters.retry(req.params.id))) {
        return reply.code(404).send({ error: `no dead letter with id ${req.params.id}` });
      }
      return reply.code(202).send({ retried: req.params.id });
    },
  );
};
