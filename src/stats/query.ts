// Checks the query string of `GET /api/stats` and turns it into a bounded StatsQuery, or says what is wrong.
import { parseDuration } from "../shared/duration.js";
import { dimension, HOUR, MINUTE, STATS_MEASURES, type StatsBy, type StatsCount } from "./layout.js";
import { resolutionFor, type StatsQuery, stepStarts } from "./reader.js";

/** MAX_POINTS bounds the points of one series (a day at one minute, or a week at 7 minutes or more). */
export const MAX_POINTS = 1440;

/** RawStatsQuery is the query string as received. */
export interface RawStatsQuery {
  from?: string;
  to?: string;
  step?: string;
  by?: string;
  count?: string;
  top?: string | number;
}

/** ParsedStatsQuery is a checked query, or the first problem found in words a client can act on. */
export type ParsedStatsQuery = { ok: true; query: StatsQuery } | { ok: false; error: string };

function isBy(by: string): by is StatsBy {
  return Object.hasOwn(STATS_MEASURES, by);
}

function time(text: string | undefined, name: string, fallback: number): number | string {
  if (text === undefined || text === "") return fallback;
  const ms = /^\d{4}-\d\d-\d\dT/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isFinite(ms)
    ? ms
    : `"${name}" must be an ISO-8601 time such as 2026-01-31T14:00:00Z, not "${text}"`;
}

/** parseStatsQuery applies the defaults (the last hour, 1m, by code) and every bound. */
export function parseStatsQuery(raw: RawStatsQuery, nowMs: number): ParsedStatsQuery {
  const fail = (error: string): ParsedStatsQuery => ({ ok: false, error });
  const to = time(raw.to, "to", nowMs);
  if (typeof to === "string") return fail(to);
  const from = time(raw.from, "from", to - HOUR.seconds * 1000);
  if (typeof from === "string") return fail(from);
  if (!(from < to)) return fail('"from" must be before "to"');

  const stepText = raw.step ?? "1m";
  const stepMs = /^\d+(m|h|d)$/.test(stepText) ? parseDuration(stepText) : undefined;
  if (!stepMs)
    return fail(`"step" must be whole minutes, hours or days such as 1m, 5m, 1h or 1d, not "${stepText}"`);
  const stepSec = stepMs / 1000;

  const by = raw.by ?? "code";
  if (!isBy(by)) return fail(`"by" must be one of ${Object.keys(STATS_MEASURES).join(", ")}, not "${by}"`);
  const allowed = STATS_MEASURES[by];
  const count = (raw.count ?? allowed[0]) as StatsCount;
  if (!allowed.includes(count))
    return fail(`with by=${by}, "count" must be one of ${allowed.join(", ")}, not "${count}"`);

  let top: number | undefined;
  if (raw.top !== undefined && raw.top !== "") {
    top = Number(raw.top);
    if (!Number.isInteger(top) || top < 1 || top > 100)
      return fail(`"top" must be a whole number from 1 to 100, not "${raw.top}"`);
  }

  const points = stepStarts(from, to, stepSec).length;
  if (points > MAX_POINTS) {
    return fail(
      `${points} points of ${stepText} are too many (at most ${MAX_POINTS}): use a larger "step" or a shorter range`,
    );
  }
  const res = resolutionFor(stepSec);
  if (from < nowMs - res.keepMs) {
    return fail(
      res === MINUTE
        ? `counts per minute are kept for 25 h: for an older "from" use a step of whole hours (step=1h)`
        : `counts are kept for 8 days: "from" must be later than ${new Date(nowMs - res.keepMs).toISOString()}`,
    );
  }
  return {
    ok: true,
    query: { fromMs: from, toMs: to, stepSec, dim: dimension(by, count), ...(top ? { top } : {}) },
  };
}
