-- wrk script for the paid route: thread k sends the headers of file <prefix>-<k>.txt in order (one channel
-- per thread, so counts stay inside the gateway's anti-replay window under the thread's connections).
-- Usage: wrk -t2 -c20 -s vouchers.lua URL -- <prefix>
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file = args[1] .. "-" .. id .. ".txt"
  vouchers = {}
  for line in io.lines(file) do vouchers[#vouchers + 1] = line end
  next_voucher = 1
end

function request()
  local v = vouchers[next_voucher]
  if v == nil then v = vouchers[#vouchers] end -- exhausted: replays, counted as non-2xx
  next_voucher = next_voucher + 1
  return wrk.format("GET", nil, { ["Payment-Voucher"] = v })
end
