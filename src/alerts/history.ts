// Alert history in Redis: every alert once (idempotent by id), newest first, bounded, with delivery outcomes.
import type { RedisClient } from "../queue/redis-client.js";
import type { Alert } from "../model/alert.js";

/**
 * AlertState is how an alert ended up: sent to its channels and still firing, later resolved, silenced,
 * inhibited (held back while another alert fired; `inhibited_by` names it), or superseded (its
 * rule+group fired again before it resolved; the newer alert's resolve covers both).
 */
export type AlertState = "firing" | "resolved" | "silenced" | "inhibited" | "superseded";

/** HistoryEntry is one stored alert with its state and every delivery attempt's outcome. */
export interface HistoryEntry {
  alert: Alert;
  state: AlertState;
  deliveries: DeliveryRecord[];
}

/** DeliveryRecord is one notification attempt as history shows it. */
export interface DeliveryRecord {
  channel: string;
  attempt: number;
  result: "ok" | "retryable" | "permanent";
  error?: string;
  final: boolean;
  at: string;
  /** Set when the alert went out in a digest: the digest's id. */
  digest?: string;
}

// KEYS[1] alerts hash (id → JSON), KEYS[2] alerts zset (id by created ms), KEYS[3] alert state hash (id → state)
// ARGV[1] id, ARGV[2] JSON, ARGV[3] created ms, ARGV[4] max entries, ARGV[5] state, ARGV[6] oldest created ms kept
// Returns {1, evicted ids…} when the alert is new, {0} when it was already recorded. Alerts past the count or
// older than ARGV[6] are evicted. Their delivery lists are deleted by the caller: a script may only touch the
// keys it declares (Redis Cluster), and those lists expire by themselves anyway.
const RECORD = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return {0} end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local out = {1}
local function evict(old)
  for _, id in ipairs(old) do
    redis.call('HDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[3], id)
    out[#out + 1] = id
  end
end
local aged = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[6], 'LIMIT', 0, 1000)
if #aged > 0 then
  redis.call('ZREM', KEYS[2], unpack(aged))
  evict(aged)
end
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if excess > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
  evict(old)
end
return out
`;

// KEYS[1] alerts hash, KEYS[2] alert state hash; ARGV[1] id, ARGV[2] state.
// Returns 1 when the alert is in the history (its state is now ARGV[2]), 0 when it is not (never, or evicted).
const SET_STATE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`;

/** AlertHistory stores and reads alerts; all processes share it through Redis. */
export interface AlertHistory {
  /** record stores an alert once; resolves true when it was new. */
  record(alert: Alert, state: AlertState): Promise<boolean>;
  /** addDelivery appends one attempt outcome to the record of each alert named (a digest names many). */
  addDelivery(alertIds: string | readonly string[], d: DeliveryRecord): Promise<void>;
  /** get returns one alert with its state and delivery outcomes, if it is still kept. */
  get(id: string): Promise<HistoryEntry | undefined>;
  /** list returns alerts newest first, optionally filtered. */
  list(opts: HistoryQuery): Promise<HistoryEntry[]>;
}

/** HistoryQuery pages through the history; every filter given must hold. */
export interface HistoryQuery {
  limit: number;
  offset?: number;
  rule?: string;
  severity?: string;
  state?: string;
  code?: number;
  /** The business number, from the alert's group or where it happened. */
  phone_number_id?: string;
  /** ISO-8601: created at or after. */
  from?: string;
  /** ISO-8601: created before. */
  to?: string;
}

/** historyFilter turns a query's filters into a test on entries, or undefined when it has none. */
function historyFilter(q: HistoryQuery): ((e: HistoryEntry) => boolean) | undefined {
  const tests: Array<(e: HistoryEntry) => boolean> = [];
  if (q.rule !== undefined) tests.push((e) => e.alert.rule.id === q.rule);
  if (q.severity !== undefined) tests.push((e) => e.alert.rule.severity === q.severity);
  if (q.state !== undefined) tests.push((e) => e.state === q.state);
  if (q.code !== undefined) tests.push((e) => e.alert.code === q.code);
  if (q.phone_number_id !== undefined) {
    const n = q.phone_number_id;
    tests.push((e) => e.alert.group.phone_number_id === n || e.alert.where.phone_number_id === n);
  }
  if (q.from !== undefined) {
    const from = Date.parse(q.from);
    tests.push((e) => Date.parse(e.alert.created_at) >= from);
  }
  if (q.to !== undefined) {
    const to = Date.parse(q.to);
    tests.push((e) => Date.parse(e.alert.created_at) < to);
  }
  return tests.length ? (e) => tests.every((t) => t(e)) : undefined;
}

/** AlertHistoryStore is the full history the lifecycle writes to; readers only need AlertHistory. */
export interface AlertHistoryStore extends AlertHistory {
  /** setState changes a recorded alert's state (a firing alert becomes "resolved"); false when it is not kept. */
  setState(id: string, state: AlertState): Promise<boolean>;
}

/** DEFAULT_HISTORY_MAX_AGE_MS is alerts.history_max_age when nothing else is said (30 days). */
export const DEFAULT_HISTORY_MAX_AGE_MS = 30 * 86_400_000;

/**
 * createAlertHistory builds the Redis-backed history under `{prefix}` keys: at most `maxEntries` alerts, none
 * created more than `maxAgeMs` before the newest one recorded (older ones leave as new ones arrive).
 */
export function createAlertHistory(
  redis: RedisClient,
  prefix: string,
  maxEntries: number,
  maxAgeMs: number = DEFAULT_HISTORY_MAX_AGE_MS,
): AlertHistoryStore {
  const hash = `{${prefix}}:alerts:data`;
  const zset = `{${prefix}}:alerts:time`;
  const deliveries = `{${prefix}}:alerts:deliveries:`;
  const stateKey = `{${prefix}}:alerts:state`;

  async function load(ids: string[]): Promise<HistoryEntry[]> {
    if (ids.length === 0) return [];
    const pipe = redis.pipeline();
    pipe.hmget(hash, ...ids);
    pipe.hmget(stateKey, ...ids);
    for (const id of ids) pipe.lrange(deliveries + id, 0, -1);
    const res = (await pipe.exec()) ?? [];
    const bodies = (res[0]?.[1] as (string | null)[]) ?? [];
    const states = (res[1]?.[1] as (string | null)[]) ?? [];
    const out: HistoryEntry[] = [];
    ids.forEach((_, i) => {
      const body = bodies[i];
      if (!body) return;
      const ds = ((res[i + 2]?.[1] as string[]) ?? []).map((d) => JSON.parse(d) as DeliveryRecord).reverse();
      out.push({
        alert: JSON.parse(body) as Alert,
        state: (states[i] ?? "firing") as AlertState,
        deliveries: ds,
      });
    });
    return out;
  }

  return {
    async record(alert, state) {
      const createdMs = Date.parse(alert.created_at) || Date.now();
      const [isNew, ...evicted] = (await redis.eval(
        RECORD,
        3,
        hash,
        zset,
        stateKey,
        alert.id,
        JSON.stringify(alert),
        String(createdMs),
        String(maxEntries),
        state,
        String(createdMs - maxAgeMs),
      )) as [number, ...string[]];
      // Cleanup only (the lists expire anyway): a failure here must not fail the alert's recording.
      if (evicted.length > 0) await redis.unlink(...evicted.map((id) => deliveries + id)).catch(() => 0);
      return isNew === 1;
    },
    async setState(id, state) {
      return ((await redis.eval(SET_STATE, 2, hash, stateKey, id, state)) as number) === 1;
    },
    async addDelivery(alertIds, d) {
      const json = JSON.stringify(d);
      const pipe = redis.pipeline();
      for (const id of typeof alertIds === "string" ? [alertIds] : alertIds) {
        const key = deliveries + id;
        pipe
          .lpush(key, json)
          .ltrim(key, 0, 199)
          .pexpire(key, 30 * 86_400_000);
      }
      await pipe.exec();
    },
    async get(id) {
      return (await load([id]))[0];
    },
    async list(query) {
      const { limit, offset = 0 } = query;
      const keep = historyFilter(query);
      if (!keep) return load(await redis.zrevrange(zset, offset, offset + limit - 1));
      // Newest first: once past `from`, nothing older can match.
      const fromMs = query.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(query.from);
      const out: HistoryEntry[] = [];
      let skipped = 0;
      const page = 200;
      for (let start = 0; out.length < limit; start += page) {
        const ids = await redis.zrevrange(zset, start, start + page - 1);
        if (ids.length === 0) break;
        const entries = await load(ids);
        for (const e of entries) {
          if (!keep(e)) continue;
          if (skipped < offset) {
            skipped++;
            continue;
          }
          out.push(e);
          if (out.length >= limit) break;
        }
        const oldest = entries.at(-1);
        if (oldest && Date.parse(oldest.alert.created_at) < fromMs) break;
      }
      return out;
    },
  };
}
