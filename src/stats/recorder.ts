// Counts each evaluated batch into per-minute and per-hour Redis buckets: one script call per batch.
import type { RedisClient } from "../queue/redis-client.js";
import type { Evaluation } from "../evaluate/evaluator.js";
import type { Event } from "../model/event.js";
import { bucketKey, bucketStart, dimension, HOUR, MINUTE, OTHER, valueLimit } from "./layout.js";

const COMMAND = "wabaStatsAdd";

// KEYS: the bucket hashes one batch adds to (all under one hash tag).
// ARGV[1] the overflow field; then, per key in KEYS order: its time to live in ms, the most distinct
// fields it keeps, the number N of pairs, and N pairs of field and increment. A value new to a full hash
// is added to the overflow field instead, so a hash never grows past its limit + 1 fields.
// Returns the number of keys written.
const ADD_LUA = `
local other = ARGV[1]
local a = 2
for _, key in ipairs(KEYS) do
  local ttl = ARGV[a]
  local cap = tonumber(ARGV[a + 1])
  local n = tonumber(ARGV[a + 2])
  a = a + 3
  local size = redis.call('HLEN', key)
  for _ = 1, n do
    local field, inc = ARGV[a], ARGV[a + 1]
    a = a + 2
    if size < cap or redis.call('HEXISTS', key, field) == 1 then
      if redis.call('HINCRBY', key, field, inc) == tonumber(inc) then size = size + 1 end
    else
      redis.call('HINCRBY', key, other, inc)
    end
  end
  redis.call('PEXPIRE', key, ttl)
end
return #KEYS
`;

interface AddCommand {
  wabaStatsAdd(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
}

/** Tally is what a batch (or several) adds to the counters: per dimension, per value, how many. */
export type Tally = Map<string, Map<string, number>>;

/** StatsRecorder adds a batch's events and rule counts to the activity counters. */
export interface StatsRecorder {
  /** record counts `events` and the evaluation's per-rule counts in the buckets of `nowMs`. */
  record(events: readonly Event[], evaluation: Pick<Evaluation, "ruleCounts">, nowMs: number): Promise<void>;
  /** write adds a tally to the buckets of `nowMs` (one script call). */
  write(counts: Tally, nowMs: number): Promise<void>;
}

/** tally counts one batch per dimension and value, the values it is split by. */
export function tally(events: readonly Event[], evaluation: Pick<Evaluation, "ruleCounts">): Tally {
  const out: Tally = new Map();
  const add = (dim: string, value: unknown, n = 1) => {
    if (value === undefined || value === null || value === "" || n === 0) return;
    let counts = out.get(dim);
    if (!counts) {
      counts = new Map();
      out.set(dim, counts);
    }
    const field = String(value);
    counts.set(field, (counts.get(field) ?? 0) + n);
  };
  for (const e of events) {
    add(dimension("phone_number_id", "events"), e.phone_number_id);
    add(dimension("template", "events"), e.template?.name);
    if (e.code === undefined) continue;
    add(dimension("code", "errors"), e.code);
    add(dimension("phone_number_id", "errors"), e.phone_number_id);
  }
  for (const [rule, count] of evaluation.ruleCounts) {
    add(dimension("rule", "evaluations"), rule, count.evaluated);
    add(dimension("rule", "matches"), rule, count.matched);
  }
  return out;
}

/**
 * createStatsRecorder writes with the caller's connection under the hash tags of `shards` (default: the
 * prefix alone), taking turns batch by batch so that on a cluster the counting spreads over the masters.
 */
export function createStatsRecorder(
  redis: RedisClient,
  prefix: string,
  shards: readonly string[] = [prefix],
): StatsRecorder {
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: ADD_LUA });
  const command = redis as unknown as AddCommand;
  let turn = 0;
  const write = async (counts: Tally, nowMs: number): Promise<void> => {
    if (counts.size === 0) return;
    const tag = shards[turn++ % shards.length] ?? prefix;
    const keys: string[] = [];
    const args: (string | number)[] = [OTHER];
    for (const res of [MINUTE, HOUR]) {
      const bucket = bucketStart(res, nowMs);
      for (const [dim, values] of counts) {
        keys.push(bucketKey(tag, res, dim, bucket));
        args.push(res.keepMs, valueLimit(dim), values.size);
        for (const [field, n] of values) args.push(field, n);
      }
    }
    await command.wabaStatsAdd(keys.length, ...keys, ...args);
  };
  return {
    write,
    record: (events, evaluation, nowMs) => write(tally(events, evaluation), nowMs),
  };
}
