// Inhibiting sources in Redis, so every process sees what fires now: bounded, and each entry expires.
import type { RedisClient } from "../queue/redis-client.js";
import type { InhibitSource, InhibitSourceStore } from "./inhibit.js";

/** MAX_SOURCES bounds the sources kept; past it the ones that would expire soonest give way. */
export const MAX_SOURCES = 10_000;

// KEYS[1] sources hash (fingerprint -> JSON), KEYS[2] until zset (fingerprint -> until ms)
// ARGV[1] fingerprint, ARGV[2] JSON, ARGV[3] until ms, ARGV[4] max entries
// Returns how many older sources were dropped to stay within the bound.
const ADD = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if excess <= 0 then return 0 end
local old = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
for _, f in ipairs(old) do redis.call('HDEL', KEYS[1], f) end
return excess
`;

// KEYS[1] sources hash, KEYS[2] until zset; ARGV[1] fingerprint, ARGV[2] alert id
// Returns 1 when the source was that alert's and is gone, 0 when it is absent or a newer firing's.
const REMOVE = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return 0 end
if cjson.decode(json).id ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;

// KEYS[1] sources hash, KEYS[2] until zset; ARGV[1] now ms
// Returns the JSON of every source still inhibiting at now, after dropping the expired ones.
const ACTIVE = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
for _, f in ipairs(expired) do redis.call('HDEL', KEYS[1], f) end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1]) end
return redis.call('HVALS', KEYS[1])
`;

/** createRedisSourceStore keeps inhibiting sources under the `{prefix}` hash tag. */
export function createRedisSourceStore(
  redis: RedisClient,
  prefix: string,
  maxSources: number = MAX_SOURCES,
): InhibitSourceStore & { size(): Promise<number> } {
  const sources = `{${prefix}}:inhibit:sources`;
  const until = `{${prefix}}:inhibit:until`;
  return {
    async add(s) {
      await redis.eval(
        ADD,
        2,
        sources,
        until,
        s.fingerprint,
        JSON.stringify(s),
        String(s.untilMs),
        String(maxSources),
      );
    },
    async remove(fingerprint, id) {
      await redis.eval(REMOVE, 2, sources, until, fingerprint, id);
    },
    async active(nowMs) {
      const raw = (await redis.eval(ACTIVE, 2, sources, until, String(Math.trunc(nowMs)))) as string[];
      return raw.map((json) => JSON.parse(json) as InhibitSource);
    },
    size: () => redis.zcard(until),
  };
}
