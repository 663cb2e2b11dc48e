// The Lua source of the window script, kept in a .ts module so the build (which copies only .ts) ships it.
import { NO_THRESHOLD_DEDUP_CAP, NO_THRESHOLD_DEDUP_MS, TTL_SLACK_MS } from "./limits.js";

/** WINDOW_HIT_KEYS is how many KEYS the window script takes. */
export const WINDOW_HIT_KEYS = 4;

/**
 * WINDOW_HIT_LUA counts one matched event in one rule+group window and fires on the crossing, all in
 * one atomic step so any number of workers fire exactly one alert per crossing (memory-store.ts mirrors it).
 */
export const WINDOW_HIT_LUA = `--[[
  Counts one matched event in one rule+group window; fires when the count exceeds the threshold.

  Input:
    KEYS[1] ids zset:      event id -> event time ms (dedup and plain count; capped at moreThan+1)
                           for rules without a threshold: event id -> processing time ms (24 h dedup)
    KEYS[2] distinct zset: value -> latest event time ms (distinct rules only; capped at moreThan+1)
    KEYS[3] state hash:    until (cooldown end ms), the last firing (crossing, count, first, last, samples)
                           and above: the last processing time ms the count exceeded the threshold
    KEYS[4] samples list:  "<event time ms> <sample>", newest first, capped at maxSamples

    ARGV[1]  event id
    ARGV[2]  event time ms
    ARGV[3]  now ms (processing time; the window is (now - window, ...])
    ARGV[4]  window ms (0 = rule without a threshold: every new event fires)
    ARGV[5]  more than
    ARGV[6]  cooldown ms
    ARGV[7]  "1" to count distinct values, "0" to count events
    ARGV[8]  distinct value
    ARGV[9]  sample
    ARGV[10] max samples

  Output:
    {"late"} | {"duplicate"} | {"counted", count} | {"cooldown", count, untilMs}
    | {"fired" | "refired", count, firstSeenMs, lastSeenMs, crossingEventId, samplesJson}
]]
local idsKey, valuesKey, stateKey, samplesKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id = ARGV[1]
local t = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local moreThan = tonumber(ARGV[5])
local cooldown = tonumber(ARGV[6])
local distinct = ARGV[7] == "1"
local value = ARGV[8]
local sample = ARGV[9]
local maxSamples = tonumber(ARGV[10])

local state = redis.call("HMGET", stateKey, "crossing", "until")
local untilMs = tonumber(state[2]) or 0

local function firingReply(kind)
  local f = redis.call("HMGET", stateKey, "count", "first", "last", "crossing", "samples")
  return {kind, tonumber(f[1]), tonumber(f[2]), tonumber(f[3]), f[4], f[5]}
end

-- A redelivery of the crossing event re-emits the same firing: a worker may have died before handing it on.
if state[1] == id then return firingReply("refired") end

local function touch(ttl)
  for _, key in ipairs(KEYS) do redis.call("PEXPIRE", key, ttl) end
end

local function capNewest(key, cap)
  if redis.call("ZCARD", key) > cap then redis.call("ZREMRANGEBYRANK", key, 0, -cap - 1) end
end

local function fire(count, first, last, samplesJson)
  redis.call("HSET", stateKey, "until", now + cooldown, "crossing", id, "count", count,
    "first", first, "last", last, "samples", samplesJson, "above", now)
end

-- Only called while a cooldown runs, so the state hash exists and keeps its TTL.
local function markAbove()
  redis.call("HSET", stateKey, "above", now)
end

if window == 0 then
  redis.call("ZREMRANGEBYSCORE", idsKey, "-inf", now - ${NO_THRESHOLD_DEDUP_MS})
  if redis.call("ZSCORE", idsKey, id) then return {"duplicate"} end
  redis.call("ZADD", idsKey, now, id)
  capNewest(idsKey, ${NO_THRESHOLD_DEDUP_CAP})
  if now < untilMs then
    markAbove()
    touch(math.max(${NO_THRESHOLD_DEDUP_MS}, cooldown) + ${TTL_SLACK_MS})
    return {"cooldown", 1, untilMs}
  end
  local samplesJson = "[]"
  if maxSamples > 0 then samplesJson = cjson.encode({sample}) end
  fire(1, t, t, samplesJson)
  touch(math.max(${NO_THRESHOLD_DEDUP_MS}, cooldown) + ${TTL_SLACK_MS})
  return firingReply("fired")
end

local cutoff = now - window
if t <= cutoff then return {"late"} end
if redis.call("ZSCORE", idsKey, id) then return {"duplicate"} end

redis.call("ZREMRANGEBYSCORE", idsKey, "-inf", cutoff)
if distinct then redis.call("ZREMRANGEBYSCORE", valuesKey, "-inf", cutoff) end
local countKey = idsKey
if distinct then countKey = valuesKey end

-- Only the newest moreThan+1 entries decide the threshold: an event no newer than the oldest of a
-- full window cannot change the outcome (and a redelivered, already trimmed one must not fire).
local cap = moreThan + 1
if redis.call("ZCARD", idsKey) >= cap then
  local oldest = redis.call("ZRANGE", idsKey, 0, 0, "WITHSCORES")
  if t <= tonumber(oldest[2]) then return {"counted", redis.call("ZCARD", countKey)} end
end

redis.call("ZADD", idsKey, t, id)
capNewest(idsKey, cap)
if distinct then
  local seen = tonumber(redis.call("ZSCORE", valuesKey, value))
  if not seen or seen < t then redis.call("ZADD", valuesKey, t, value) end
  capNewest(valuesKey, cap)
end
if maxSamples > 0 then
  redis.call("LPUSH", samplesKey, ARGV[2] .. " " .. sample)
  redis.call("LTRIM", samplesKey, 0, maxSamples - 1)
end

local count = redis.call("ZCARD", countKey)
if count <= moreThan then
  touch(window + cooldown + ${TTL_SLACK_MS} + math.max(0, t - now))
  return {"counted", count}
end
if now < untilMs then
  markAbove()
  touch(window + cooldown + ${TTL_SLACK_MS} + math.max(0, t - now))
  return {"cooldown", count, untilMs}
end

local first = tonumber(redis.call("ZRANGE", idsKey, 0, 0, "WITHSCORES")[2])
local last = tonumber(redis.call("ZRANGE", idsKey, -1, -1, "WITHSCORES")[2])
local kept = redis.call("LRANGE", samplesKey, 0, -1)
local samples = {}
for i = #kept, 1, -1 do
  local entry = kept[i]
  local space = string.find(entry, " ", 1, true)
  if tonumber(string.sub(entry, 1, space - 1)) > cutoff then
    samples[#samples + 1] = string.sub(entry, space + 1)
  end
end
local samplesJson = "[]"
if #samples > 0 then samplesJson = cjson.encode(samples) end
fire(count, first, last, samplesJson)
touch(window + cooldown + ${TTL_SLACK_MS} + math.max(0, t - now))
return firingReply("fired")
`;
