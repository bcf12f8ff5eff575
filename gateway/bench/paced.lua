-- wrk script for a paid route at a fixed rate: vouchers.lua's voucher files (thread k sends <prefix>-<k>.txt in
-- order, going on where the last run with that prefix stopped), and the thread's connections share one
-- schedule of <rate> requests per second (wrk's delay(), with a monotonic clock through LuaJIT's ffi), so the
-- load stays at the rate asked for as long as the gateway keeps up.
-- Usage: wrk -t2 -c20 -s paced.lua URL -- <prefix> <rate per thread>
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "vouchers.lua")

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } tollgate_timespec;
  int clock_gettime(int clock, tollgate_timespec *t);
]]
local clock = ffi.new("tollgate_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local read_vouchers = init
function init(args)
  read_vouchers(args)
  interval = 1000 / tonumber(args[2])
end

function delay()
  local now = now_ms()
  if next_at == nil or next_at < now - 1000 then next_at = now end -- start, or fell more than 1 s behind
  next_at = next_at + interval
  local wait = next_at - now
  if wait < 0 then return 0 end
  return wait
end
