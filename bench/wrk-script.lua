-- wrk script for the bench: POSTs pre-generated signed bodies in order, paced to an overall rate, and
-- prints a JSON summary. Loaded by bench/load-wrk.ts; settings come in the environment:
--   BENCH_BODIES  file with one "signature body" pair per line
--   BENCH_RATE    overall requests/s over all connections (0 = as fast as the server answers)
--   BENCH_PATH    request path
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local requests = {}
local count = 0
local nextIndex = 0
local interval = 0
local nextSlot = 0

function init(args)
  local path = os.getenv("BENCH_PATH") or "/webhooks/whatsapp"
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    local sig, body = line:match("^(%S+) (.*)$")
    if sig then
      count = count + 1
      requests[count] = wrk.format("POST", path, {
        ["Content-Type"] = "application/json",
        ["X-Hub-Signature-256"] = sig,
      }, body)
    end
  end
  local rate = tonumber(os.getenv("BENCH_RATE") or "0")
  if rate > 0 then interval = 1000 / rate end
end

function request()
  nextIndex = nextIndex % count + 1
  return requests[nextIndex]
end

-- One schedule for all connections (the bench runs one thread): each request takes the next free slot;
-- slots missed while the server was slow are dropped, not caught up in a burst.
function delay()
  if interval == 0 then return 0 end
  local now = now_ms()
  if nextSlot < now then nextSlot = now end
  local wait = nextSlot - now
  nextSlot = nextSlot + interval
  return wait
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '\nBENCH_JSON {"requests":%d,"duration_us":%d,"status_errors":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
