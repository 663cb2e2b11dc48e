// The Lua source of the bucketed-counter script (ratio and spike rules), kept in .ts so the build ships it.
import { SEEN_MARGIN_MS } from "./buckets.js";

/** BUCKET_FIXED_ARGS is how many ARGV come before the per-window arguments. */
export const BUCKET_FIXED_ARGS = 11;

/** BUCKET_ARGS_PER_EVENT is how many ARGV each event adds. */
export const BUCKET_ARGS_PER_EVENT = 5;

/**
 * BUCKET_BATCH_LUA counts a batch of events of one ratio or spike rule, window (group) by window, each in
 * arrival order, and fires on crossings, atomically (bucket-memory.ts mirrors it step by step; buckets.ts
 * states the line). All keys of one rule share its hash tag, so a batch costs one call per rule.
 */
export const BUCKET_BATCH_LUA = `--[[
  Counts a batch of events of one bucketed rule (ratio or spike), window by window, in arrival order.

  Per window, three keys (their index in KEYS given in ARGV), then id sets:
  hash:     state — lo (oldest bucket the sums cover), top (newest bucket written), n and d (sums of counted
            and of-events in buckets >= lo); spike: bhi (end of the baseline), b (its sum), h (first
            baseline bucket counted), ctop (newest baseline bucket); until, crossing, above, exp (when the
            window's keys expire, worker clock) — and buckets:
            "<i>" -> "n d firstOffset lastOffset" per window bucket i, "c<j>" -> n per baseline bucket j
  samples:  list of "<event time ms> <sample>" of counted events, newest first, at most max samples
  firing:   the last firing, "count first last of bsum bspan" then one sample per line
  id sets:  one per window bucket the batch touches, 8-byte id digests, kept until the bucket leaves the
            window (+ a margin)

  ARGV[1] now ms, ARGV[2] window ms, ARGV[3] bucket ms, ARGV[4] "ratio" | "spike", ARGV[5] more than (share
  or factor), ARGV[6] min_of (ratio) or min (spike), ARGV[7] baseline ms, ARGV[8] baseline bucket ms,
  ARGV[9] cooldown ms, ARGV[10] ttl ms of a window's keys, ARGV[11] max samples
  ARGV[12..] per window: index of its hash in KEYS (samples and firing follow it), number of events, then
  five per event: id digest (11 characters: the base64 of 8 bytes), event time ms, flags (1 counts, 2
  counts toward of, 3 both), index of its bucket's id set in KEYS, sample

  Returns one reply per event, windows in ARGV order:
    {"late"} | {"duplicate"} | {"counted", n, d, bsum, bspan} | {"cooldown", n, untilMs, d, bsum, bspan}
    | {"fired" | "refired", n, firstMs, lastMs, {samples...}, d, bsum, bspan}
  (The crossing event is remembered by its digest; the caller knows its id.)
  (bspan 0: a spike group still learning its usual count.)
]]
-- Globals as locals: the script runs for every status a ratio rule counts.
local floor, max, min, match, call = math.floor, math.max, math.min, string.match, redis.call
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local r = tonumber(ARGV[3])
local spike = ARGV[4] == "spike"
local moreThan = tonumber(ARGV[5])
local least = tonumber(ARGV[6])
local baseline = tonumber(ARGV[7])
local R = tonumber(ARGV[8])
local cooldown = tonumber(ARGV[9])
local baseTtl = tonumber(ARGV[10])
local maxSamples = tonumber(ARGV[11])
local W = math.ceil(window / r)
local K = 0
if spike then K = math.ceil(baseline / R) end
local STATE = {"lo", "top", "n", "d", "bhi", "b", "h", "ctop", "until", "crossing", "exp"}

local function parse(v)
  if not v then return {n = 0, d = 0, f = 0, l = 0, fresh = true} end
  local a, c, e, g = match(v, "^(%-?%d+) (%-?%d+) (%-?%d+) (%-?%d+)$")
  return {n = tonumber(a), d = tonumber(c), f = tonumber(e), l = tonumber(g)}
end

local function split(text)
  local out = {}
  for line in string.gmatch(text or "", "[^\\n]+") do out[#out + 1] = line end
  return out
end

local replies = {}

local function runWindow(hashKey, samplesKey, firingKey, base, events)
  -- One read for the state and every bucket the batch's events fall in.
  local fields = {unpack(STATE)}
  local wanted = {}
  for e = 0, events - 1 do
    local i = floor(tonumber(ARGV[base + e * ${BUCKET_ARGS_PER_EVENT} + 1]) / r)
    if not wanted[i] then
      wanted[i] = true
      fields[#fields + 1] = i
    end
  end
  local st = call("HMGET", hashKey, unpack(fields))
  local stored = {}
  for j = #STATE + 1, #fields do stored[fields[j]] = st[j] end
  local stLo, top = tonumber(st[1]), tonumber(st[2])
  local n, d = tonumber(st[3]) or 0, tonumber(st[4]) or 0
  local bhi, b, h, ctop = tonumber(st[5]), tonumber(st[6]) or 0, tonumber(st[7]), tonumber(st[8])
  local untilMs, crossing, exp = tonumber(st[9]) or 0, st[10], tonumber(st[11])
  local fired = false
  local lo = floor(now / r) - W + 1
  if stLo and stLo > lo then lo = stLo end
  local slid, written, pushed = false, false, false
  local ttl = baseTtl
  local fine, coarse = {}, {}

  -- Slide the window: buckets older than lo leave the sums.
  if stLo and lo > stLo then
    if top then
      for i = stLo, min(lo - 1, top) do
        local v = call("HGET", hashKey, i)
        if v then
          local old = parse(v)
          n = n - old.n
          d = d - old.d
          call("HDEL", hashKey, i)
        end
      end
    end
    slid = true
  end

  -- Slide a spike's baseline: buckets entirely before the window enter it, the oldest leave it.
  local endB, span = 0, 0
  if spike then
    endB = floor(lo * r / R)
    if not bhi then
      bhi = endB
    elseif endB > bhi then
      local ctopNow = ctop or (bhi - 1)
      for j = max(bhi, endB - K), min(endB - 1, ctopNow) do
        b = b + (tonumber(call("HGET", hashKey, "c" .. j)) or 0)
      end
      for j = bhi - K, min(bhi, endB - K) - 1 do
        b = b - (tonumber(call("HGET", hashKey, "c" .. j)) or 0)
        call("HDEL", hashKey, "c" .. j)
      end
      for j = bhi, min(endB - K - 1, ctopNow) do call("HDEL", hashKey, "c" .. j) end
      bhi = endB
      slid = true
    end
    if h then
      local s = (endB - max(endB - K, h)) * R
      if s >= window then span = s end
    end
  end

  local function isOver()
    if not spike then return d >= least and n / d > moreThan end
    if span == 0 or n < least then return false end
    return n > moreThan * ((b * window) / span)
  end

  local function storedFiring(kind)
    local lines = split(call("GET", firingKey))
    local head = lines[1] or "0 0 0 0 0 0"
    local c, f, l, of, bs, bp = match(head, "^(%S+) (%S+) (%S+) (%S+) (%S+) (%S+)$")
    local samples = {}
    for k = 2, #lines do samples[#samples + 1] = lines[k] end
    return {kind, tonumber(c), tonumber(f), tonumber(l), samples, tonumber(of), tonumber(bs), tonumber(bp)}
  end

  local function fire(id)
    local first, last
    for i = lo, (top or lo - 1) do
      local e = fine[i] or parse(stored[i] or call("HGET", hashKey, i))
      if e.n > 0 then
        local f, l = i * r + e.f, i * r + e.l
        if not first or f < first then first = f end
        if not last or l > last then last = l end
      end
    end
    local kept = call("LRANGE", samplesKey, 0, -1)
    local samples = {}
    for k = #kept, 1, -1 do
      local entry = kept[k]
      local space = string.find(entry, " ", 1, true)
      local t = tonumber(string.sub(entry, 1, space - 1))
      if floor(t / r) >= lo then samples[#samples + 1] = string.sub(entry, space + 1) end
    end
    untilMs = now + cooldown
    crossing = id
    fired = true
    local head = n .. " " .. first .. " " .. last .. " " .. d .. " " .. b .. " " .. span
    call("SET", firingKey, head .. "\\n" .. table.concat(samples, "\\n"))
    call("HSET", hashKey, "until", untilMs, "crossing", id, "above", now)
    return {"fired", n, first, last, samples, d, b, span}
  end

  local function count(t, i, flags, sample)
    local e = fine[i]
    if not e then
      e = parse(stored[i])
      fine[i] = e
    end
    local off = t - i * r
    if flags % 2 == 1 then
      if e.n == 0 or off < e.f then e.f = off end
      if e.n == 0 or off > e.l then e.l = off end
      e.n = e.n + 1
      n = n + 1
      if maxSamples > 0 then
        call("LPUSH", samplesKey, t .. " " .. sample)
        call("LTRIM", samplesKey, 0, maxSamples - 1)
        pushed = true
      end
    end
    if flags >= 2 then
      e.d = e.d + 1
      d = d + 1
    end
    if not top or i > top then top = i end
    if spike then
      local j = floor(t / R)
      coarse[j] = (coarse[j] or tonumber(call("HGET", hashKey, "c" .. j)) or 0) + 1
      if not ctop or j > ctop then ctop = j end
      if not h or j < h then h = j end
    end
  end

  for e = 0, events - 1 do
    local a = base + e * ${BUCKET_ARGS_PER_EVENT}
    local id, t, flags = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
    local reply
    if id == crossing then
      reply = storedFiring("refired")
    else
      local i = floor(t / r)
      if i < lo then
        reply = {"late"}
      else
        local seenKey = KEYS[tonumber(ARGV[a + 3])]
        if call("SADD", seenKey, id) == 0 then
          reply = {"duplicate"}
        else
          -- As seenTtlMs: a bucket ahead of the clock lives as the current one, so no event time prolongs state.
          local seenTtl = max(1, (min(i, floor(now / r)) + W) * r - now + ${SEEN_MARGIN_MS})
          -- A bucket's id set gets its (fixed) lifetime with the bucket's first event.
          if not fine[i] and not stored[i] then call("PEXPIRE", seenKey, seenTtl) end
          if seenTtl > ttl then ttl = seenTtl end
          written = true
          count(t, i, flags, ARGV[a + 4])
          if not isOver() then
            reply = {"counted", n, d, b, span}
          elseif now < untilMs then
            call("HSET", hashKey, "above", now)
            reply = {"cooldown", n, untilMs, d, b, span}
          else
            reply = fire(id)
          end
        end
      end
    end
    replies[#replies + 1] = reply
  end

  -- Lifetimes are renewed only once a quarter of them has passed: every key of a written window then lives
  -- at least ttl (and at most 1.25 ttl) past its last write, without a PEXPIRE on every batch.
  local renew = written and (fired or not exp or exp - now < ttl)
  if written or slid then
    local out = {"lo", lo, "n", n, "d", d}
    if renew then
      exp = now + ttl + floor(ttl / 4)
      out[#out + 1] = "exp"; out[#out + 1] = exp
    end
    if top then out[#out + 1] = "top"; out[#out + 1] = top end
    if spike then
      out[#out + 1] = "bhi"; out[#out + 1] = bhi
      out[#out + 1] = "b"; out[#out + 1] = b
      if h then out[#out + 1] = "h"; out[#out + 1] = h end
      if ctop then out[#out + 1] = "ctop"; out[#out + 1] = ctop end
    end
    for i, e in pairs(fine) do
      out[#out + 1] = i
      out[#out + 1] = e.n .. " " .. e.d .. " " .. e.f .. " " .. e.l
    end
    for j, c in pairs(coarse) do
      out[#out + 1] = "c" .. j
      out[#out + 1] = c
    end
    call("HSET", hashKey, unpack(out))
  end
  if renew then
    call("PEXPIRE", hashKey, exp - now)
    -- Only a window that fired has a firing to keep.
    if crossing then call("PEXPIRE", firingKey, exp - now) end
  end
  if pushed then call("PEXPIRE", samplesKey, ttl) end
end

local a = ${BUCKET_FIXED_ARGS + 1}
while a <= #ARGV do
  local k, events = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  runWindow(KEYS[k], KEYS[k + 1], KEYS[k + 2], a + 2, events)
  a = a + 2 + events * ${BUCKET_ARGS_PER_EVENT}
end
return replies
`;
