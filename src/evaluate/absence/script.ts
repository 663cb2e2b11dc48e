// The Lua sources of the absence store: record arrivals, claim silent groups, ack fired ones.
import { ABSENT_KEYS } from "./keys.js";

const KEYS_DOC = `  KEYS[1] watch zset:  watched group -> its last arrival ms (groups with at least "after" arrivals in "within")
  KEYS[2] due zset:    claimed group -> lease end ms (a sweeper is firing its absence)
  KEYS[3] fired hash:  group -> last arrival ms of the silence that fired (until the group speaks again)
  KEYS[4] ctx hash:    watched or claimed group -> "<last arrival ms> <context JSON>" for its alert
  KEYS[5] back hash:   group -> first arrival ms after a fired (or claimed) silence`;

const EXPIRE_ALL = `for k = 1, ${ABSENT_KEYS} do redis.call("PEXPIRE", KEYS[k], ttl) end`;

/** RECORD_LUA counts one batch's arrivals of one absent rule, group by group; a qualified group is watched. */
export const RECORD_LUA = `--[[
  Records a batch's arrivals of one absent rule at one arrival time.
${KEYS_DOC}
  KEYS[6..] arrival counters (hash bucket -> arrivals) of each group below, in order; kept only while the
            group is not watched

  ARGV[1] arrival ms, ARGV[2] within ms, ARGV[3] bucket ms, ARGV[4] after, ARGV[5] ttl ms of KEYS[1..5],
  ARGV[6] ttl ms of a group's counters, ARGV[7..] three per group: group, arrivals, context JSON

  Returns per group {1, 0} when it is watched, else {0, arrivals inside "within" so far}.
]]
local now = tonumber(ARGV[1])
local r = tonumber(ARGV[3])
local after = tonumber(ARGV[4])
local ttl = tonumber(ARGV[5])
local qttl = tonumber(ARGV[6])
local cur = math.floor(now / r)
local lo = cur - math.ceil(tonumber(ARGV[2]) / r) + 1
local replies = {}
local groups = (#ARGV - 6) / 3
for k = 0, groups - 1 do
  local g, n, ctx = ARGV[7 + k * 3], tonumber(ARGV[8 + k * 3]), ARGV[9 + k * 3]
  local qKey = KEYS[6 + k]
  local spoke = false
  if redis.call("ZSCORE", KEYS[2], g) then
    redis.call("ZREM", KEYS[2], g)
    redis.call("HDEL", KEYS[4], g)
    spoke = true
  end
  if redis.call("HDEL", KEYS[3], g) == 1 then spoke = true end
  if spoke then redis.call("HSET", KEYS[5], g, now) end
  local last = tonumber(redis.call("ZSCORE", KEYS[1], g))
  if last then
    if now > last then
      redis.call("ZADD", KEYS[1], now, g)
      redis.call("HSET", KEYS[4], g, now .. " " .. ctx)
    end
    replies[k + 1] = {1, 0}
  else
    redis.call("HINCRBY", qKey, cur, n)
    local flat = redis.call("HGETALL", qKey)
    local sum = 0
    for j = 1, #flat, 2 do
      if tonumber(flat[j]) < lo then redis.call("HDEL", qKey, flat[j]) else sum = sum + tonumber(flat[j + 1]) end
    end
    if sum >= after then
      redis.call("ZADD", KEYS[1], now, g)
      redis.call("HSET", KEYS[4], g, now .. " " .. ctx)
      redis.call("DEL", qKey)
      replies[k + 1] = {1, 0}
    else
      redis.call("PEXPIRE", qKey, qttl)
      replies[k + 1] = {0, sum}
    end
  end
end
${EXPIRE_ALL}
return replies
`;

/** CLAIM_LUA leases silent groups of one absent rule (and claims whose lease ran out) to one sweeper. */
export const CLAIM_LUA = `--[[
  Claims silent groups of one absent rule for one sweeper.
${KEYS_DOC}

  ARGV[1] now ms, ARGV[2] for ms, ARGV[3] lease ms, ARGV[4] max groups, ARGV[5] ttl ms of KEYS[1..5]

  Returns a flat list: group, "<last arrival ms> <context JSON>", group, … — first claims whose lease ran
  out (a sweeper died holding them), then watched groups silent for "for" (moved from watch to due).
]]
local now = tonumber(ARGV[1])
local lease = now + tonumber(ARGV[3])
local max = tonumber(ARGV[4])
local ttl = tonumber(ARGV[5])
local out = {}
local stale = redis.call("ZRANGEBYSCORE", KEYS[2], "-inf", now, "LIMIT", 0, max)
for _, g in ipairs(stale) do
  redis.call("ZADD", KEYS[2], lease, g)
  out[#out + 1] = g
  out[#out + 1] = redis.call("HGET", KEYS[4], g) or ""
end
local room = max - #stale
if room > 0 then
  local silent = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", now - tonumber(ARGV[2]), "LIMIT", 0, room)
  for _, g in ipairs(silent) do
    redis.call("ZREM", KEYS[1], g)
    redis.call("ZADD", KEYS[2], lease, g)
    out[#out + 1] = g
    out[#out + 1] = redis.call("HGET", KEYS[4], g) or ""
  end
end
if #out > 0 then ${EXPIRE_ALL} end
return out
`;

/** ACK_LUA marks a claimed group's absence fired, unless the group spoke since it was claimed. */
export const ACK_LUA = `--[[
  Marks one claimed group's absence fired once its alert is handed on.
${KEYS_DOC}

  ARGV[1] group, ARGV[2] last arrival ms of the silence, ARGV[3] ttl ms of KEYS[1..5]

  Returns 1 when marked fired, 0 when the group spoke meanwhile (its arrival already ended the claim).
]]
local ttl = tonumber(ARGV[3])
if not redis.call("ZSCORE", KEYS[2], ARGV[1]) then return 0 end
redis.call("ZREM", KEYS[2], ARGV[1])
redis.call("HSET", KEYS[3], ARGV[1], ARGV[2])
redis.call("HDEL", KEYS[4], ARGV[1])
${EXPIRE_ALL}
return 1
`;
