-- Gives back a reserved top-up that was never sent (on top of money.lua).
-- KEYS as top_up_budget.lua; ARGV: amount (decimal), id of the grant.
if redis.call('ZREM', KEYS[2], ARGV[2]) == 0 then return 0 end
local total = money_parse(redis.call('HGET', KEYS[1], 'total') or '0')
redis.call('HSET', KEYS[1], 'total', money_format(money_sub(total, money_parse(ARGV[1]))))
return 1
