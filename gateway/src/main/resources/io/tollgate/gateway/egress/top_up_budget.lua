-- Reserves one top-up of a channel against its budget, in one step (on top of money.lua): at most
-- ARGV[3] top-ups within any ARGV[2] ms, and at most ARGV[4] wei in total, ever.
-- KEYS[1]: hash {total = decimal wei granted so far}; KEYS[2]: sorted set of grants scored by their time (ms).
-- ARGV: now ms, period ms, max per period, max total (decimal), amount (decimal), id of this grant.
-- Returns {'GRANTED', total after} | {'PERIOD', grants in the period, ms until the oldest leaves it}
--       | {'TOTAL', total so far}.
local now = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - period)
local recent = redis.call('ZCARD', KEYS[2])
if recent >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {'PERIOD', tostring(recent), int_string(tonumber(oldest[2]) + period - now)}
end
local total = money_parse(redis.call('HGET', KEYS[1], 'total') or '0')
local after = money_add(total, money_parse(ARGV[5]))
if money_cmp(after, money_parse(ARGV[4])) > 0 then
  return {'TOTAL', money_format(total)}
end
redis.call('HSET', KEYS[1], 'total', money_format(after))
redis.call('ZADD', KEYS[2], now, ARGV[6])
redis.call('PEXPIRE', KEYS[2], period)
return {'GRANTED', money_format(after)}
