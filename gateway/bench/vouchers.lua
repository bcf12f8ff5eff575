-- wrk script for the paid route: thread k sends the headers of file <prefix>-<k>.txt in order (one channel
-- per thread, so counts stay inside the gateway's anti-replay window under the thread's connections).
-- A run that ends writes where each thread stopped to <prefix>-<k>.next; the next run with the same prefix
-- goes on from there (benchmark rounds share one file per thread without replaying a count).
-- Usage: wrk -t2 -c20 -s vouchers.lua URL -- <prefix>
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1]
  vouchers = {}
  for line in io.lines(prefix .. "-" .. id .. ".txt") do vouchers[#vouchers + 1] = line end
  next_voucher = 1
  local saved = io.open(prefix .. "-" .. id .. ".next")
  if saved then
    next_voucher = tonumber(saved:read("*l"))
    saved:close()
  end
end

function request()
  local v = vouchers[next_voucher]
  if v == nil then v = vouchers[#vouchers] end -- exhausted: replays, counted as non-2xx
  next_voucher = next_voucher + 1
  return wrk.format("GET", nil, { ["Payment-Voucher"] = v })
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local out = io.open(thread:get("prefix") .. "-" .. thread:get("id") .. ".next", "w")
    out:write(thread:get("next_voucher"), "\n")
    out:close()
  end
end
