// The Lua source of the window script, kept in a .ts module so the build (which copies only .ts) ships it.
import { NO_THRESHOLD_DEDUP_CAP, NO_THRESHOLD_DEDUP_MS } from "./limits.js";

/** WINDOW_KEYS is how many KEYS the window script takes. */
export const WINDOW_KEYS = 4;

/** WINDOW_FIXED_ARGS is how many ARGV come before the per-event arguments. */
export const WINDOW_FIXED_ARGS = 8;

/** WINDOW_ARGS_PER_EVENT is how many ARGV each event adds. */
export const WINDOW_ARGS_PER_EVENT = 4;

/**
 * WINDOW_BATCH_LUA counts a batch of matched events in one rule+group window, in arrival order, and
 * fires on the crossing, all in one atomic step so any number of workers fire exactly one alert per
 * crossing (memory-store.ts mirrors it; test/unit/evaluate/window-reference.ts states the semantics).
 */
export const WINDOW_BATCH_LUA = `--[[
  Counts a batch of matched events in one rule+group window, in arrival order; fires on a crossing.

  KEYS[1] ids zset:      event id -> event time ms of every counted event still inside the window
                         (dedup and the event count); for rules without a threshold:
                         event id -> processing time ms (a day of dedup)
  KEYS[2] values zset:   distinct value -> newest event time ms (distinct rules only)
  KEYS[3] state hash:    until (cooldown end ms), crossing (id of the event that fired last), the last
                         firing (count, events, first, last, samples, capped), above (last processing
                         ms the count exceeded the threshold), evicted (newest event time ms an entry
                         had when the entry cap pushed it out)
  KEYS[4] samples list:  "<event time ms> <sample>", newest arrival first, at most max samples

  ARGV[1] now ms (processing time; the window is (now - window, ...])
  ARGV[2] window ms (0: a rule without a threshold, every new event fires)
  ARGV[3] more than
  ARGV[4] cooldown ms
  ARGV[5] ttl ms given to every key written (window + cooldown + resolve_after)
  ARGV[6] "1" to count distinct values, "0" to count events
  ARGV[7] max samples
  ARGV[8] max entries per zset (past it the oldest entry gives way and the count becomes a floor)
  ARGV[9..] four per event: id, event time ms, distinct value, sample (JSON without newlines)

  Returns one reply per event, in order:
    {"late"} | {"duplicate"} | {"counted", count, evicted} | {"cooldown", count, untilMs, evicted}
    | {"fired" | "refired", count, events, firstMs, lastMs, crossingId, {samples...}, capped, evicted}
]]
local idsKey, valuesKey, stateKey, samplesKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local moreThan = tonumber(ARGV[3])
local cooldown = tonumber(ARGV[4])
local ttl = tonumber(ARGV[5])
local distinct = ARGV[6] == "1"
local maxSamples = tonumber(ARGV[7])
local maxEntries = tonumber(ARGV[8])

local st = redis.call("HMGET", stateKey, "crossing", "until", "evicted")
local crossing = st[1]
local untilMs = tonumber(st[2]) or 0
local evictedMax = tonumber(st[3])
local cutoff = now - window
local trimmed = false
local written = false

local function split(text)
  local out = {}
  if not text or text == "" then return out end
  for line in string.gmatch(text, "[^\\n]+") do out[#out + 1] = line end
  return out
end

local function storedFiring(kind)
  local f = redis.call("HMGET", stateKey, "count", "events", "first", "last", "samples", "capped")
  return {kind, tonumber(f[1]) or 0, tonumber(f[2]) or 0, tonumber(f[3]) or 0, tonumber(f[4]) or 0,
    crossing, split(f[5]), tonumber(f[6]) or 0, 0}
end

local function fire(id, count, events, first, last, samples, capped, evicted)
  untilMs = now + cooldown
  crossing = id
  redis.call("HSET", stateKey, "until", untilMs, "crossing", id, "count", count, "events", events,
    "first", first, "last", last, "samples", table.concat(samples, "\\n"), "capped", capped, "above", now)
  return {"fired", count, events, first, last, id, samples, capped, evicted}
end

local function popOldest(key)
  local popped = redis.call("ZPOPMIN", key)
  local t = tonumber(popped[2])
  if not evictedMax or t > evictedMax then
    evictedMax = t
    redis.call("HSET", stateKey, "evicted", t)
  end
end

-- A rule without a threshold: every new event fires unless a cooldown runs; ids deduplicate for a day.
local function everyEvent(id, t, sample)
  if not trimmed then
    redis.call("ZREMRANGEBYSCORE", idsKey, "-inf", now - ${NO_THRESHOLD_DEDUP_MS})
    trimmed = true
  end
  if redis.call("ZSCORE", idsKey, id) then return {"duplicate"} end
  redis.call("ZADD", idsKey, now, id)
  if redis.call("ZCARD", idsKey) > ${NO_THRESHOLD_DEDUP_CAP} then redis.call("ZPOPMIN", idsKey) end
  written = true
  if now < untilMs then
    redis.call("HSET", stateKey, "above", now)
    return {"cooldown", 1, untilMs, 0}
  end
  local samples = {}
  if maxSamples > 0 then samples[1] = sample end
  return fire(id, 1, 1, t, t, samples, 0, 0)
end

local function firingNow(id, count, evicted)
  local events = redis.call("ZCARD", idsKey)
  local first = tonumber(redis.call("ZRANGE", idsKey, 0, 0, "WITHSCORES")[2])
  local last = tonumber(redis.call("ZRANGE", idsKey, -1, -1, "WITHSCORES")[2])
  local kept = redis.call("LRANGE", samplesKey, 0, -1)
  local samples = {}
  for i = #kept, 1, -1 do
    local entry = kept[i]
    local space = string.find(entry, " ", 1, true)
    local t = tonumber(string.sub(entry, 1, space - 1))
    if t > cutoff and t >= first and t <= last then samples[#samples + 1] = string.sub(entry, space + 1) end
  end
  local capped = 0
  if evictedMax and evictedMax > cutoff then capped = 1 end
  return fire(id, count, events, first, last, samples, capped, evicted)
end

local function count(id, t, value, sample)
  if not trimmed then
    redis.call("ZREMRANGEBYSCORE", idsKey, "-inf", cutoff)
    if distinct then redis.call("ZREMRANGEBYSCORE", valuesKey, "-inf", cutoff) end
    trimmed = true
  end
  if redis.call("ZSCORE", idsKey, id) then return {"duplicate"} end
  local evicted = 0
  redis.call("ZADD", idsKey, t, id)
  if redis.call("ZCARD", idsKey) > maxEntries then
    popOldest(idsKey)
    evicted = evicted + 1
  end
  local countKey = idsKey
  if distinct then
    countKey = valuesKey
    local seen = tonumber(redis.call("ZSCORE", valuesKey, value))
    if not seen or seen < t then redis.call("ZADD", valuesKey, t, value) end
    if redis.call("ZCARD", valuesKey) > maxEntries then
      popOldest(valuesKey)
      evicted = evicted + 1
    end
  end
  if maxSamples > 0 then
    redis.call("LPUSH", samplesKey, t .. " " .. sample)
    redis.call("LTRIM", samplesKey, 0, maxSamples - 1)
  end
  written = true
  local n = redis.call("ZCARD", countKey)
  if n <= moreThan then return {"counted", n, evicted} end
  if now < untilMs then
    redis.call("HSET", stateKey, "above", now)
    return {"cooldown", n, untilMs, evicted}
  end
  return firingNow(id, n, evicted)
end

local replies = {}
local events = (#ARGV - 8) / 4
for i = 0, events - 1 do
  local base = 9 + i * 4
  local id, t = ARGV[base], tonumber(ARGV[base + 1])
  local reply
  if id == crossing then
    -- A redelivery of the crossing event re-emits the same firing: a worker may have died before handing it on.
    reply = storedFiring("refired")
  elseif window == 0 then
    reply = everyEvent(id, t, ARGV[base + 3])
  elseif t <= cutoff then
    reply = {"late"}
  else
    reply = count(id, t, ARGV[base + 2], ARGV[base + 3])
  end
  replies[i + 1] = reply
end
if written then
  for _, key in ipairs(KEYS) do redis.call("PEXPIRE", key, ttl) end
end
return replies
`;
