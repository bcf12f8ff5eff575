-- The gateway's atomic ledger step for one voucher: anti-replay window, exposure check and best voucher,
-- all or nothing. Keys share the channel's hash tag, so the script runs on one cluster slot.
--
-- KEYS[1] window hash of (channel, epoch, category): field `top` = highest accepted count, `at` = when
-- KEYS[2] bitmap of seen counts inside the window: bit (count mod W)
-- KEYS[3] exposure hash of the channel: field <epoch> = sum over categories of top count x price
-- KEYS[4] best voucher hash of the channel: field <epoch>:<category> = the encoded voucher with signature
-- ARGV[1] epoch, ARGV[2] category, ARGV[3] count (1..2^53-1), ARGV[4] price of (epoch, category) in wei,
-- ARGV[5] unredeemed deposit in wei, ARGV[6] oldest unredeemed epoch, ARGV[7] window size W,
-- ARGV[8] encoded voucher, ARGV[9] now (epoch millis)
--
-- Returns 'A|<top count>|<exposure>' or 'R|<reason>'; the caller subtracts the exposure from the deposit.
local epoch = tonumber(ARGV[1])
local count = tonumber(ARGV[3])
local deposit = money_parse(ARGV[5])
local oldest = tonumber(ARGV[6])
local window = tonumber(ARGV[7])

if epoch < oldest then return 'R|EPOCH_REDEEMED' end

-- The exposure of all unredeemed epochs, that of this voucher's epoch, and whether they are the same sum.
local function exposures()
  local total, this, others = {0}, {0}, false
  local fields = redis.call('HGETALL', KEYS[3])
  for i = 1, #fields, 2 do
    local e = tonumber(fields[i])
    if e and e >= oldest then
      local value = money_parse(fields[i + 1])
      if e == epoch then this = value else others = true end
      total = money_add(total, value)
    end
  end
  return total, this, others
end

local top = tonumber(redis.call('HGET', KEYS[1], 'top') or '0')

if count <= top then
  if count <= top - window then return 'R|BELOW_WINDOW' end
  local slot = count % window
  if redis.call('GETBIT', KEYS[2], slot) == 1 then return 'R|REPLAYED' end
  local total = exposures()
  if money_cmp(total, deposit) > 0 then return 'R|UNDERFUNDED' end
  redis.call('SETBIT', KEYS[2], slot, 1)
  return 'A|' .. int_string(top) .. '|' .. money_format(total)
end

local price = money_parse(ARGV[4])
local step = count - top
local delta = price
if step > 1 then delta = money_mul(price, money_of(step)) end
local total, this, others = exposures()
total = money_add(total, delta)
if money_cmp(total, deposit) > 0 then return 'R|UNDERFUNDED' end

-- Slide the window: counts that fall out of it free their bits.
if step >= window then
  redis.call('DEL', KEYS[2])
else
  for k = top + 1, count - 1 do redis.call('SETBIT', KEYS[2], k % window, 0) end
end
redis.call('SETBIT', KEYS[2], count % window, 1)
redis.call('HSET', KEYS[1], 'top', ARGV[3], 'at', ARGV[9])
local epoch_exposure = money_format(money_add(this, delta))
redis.call('HSET', KEYS[3], ARGV[1], epoch_exposure)
redis.call('HSET', KEYS[4], ARGV[1] .. ':' .. ARGV[2], ARGV[8])
if not others then return 'A|' .. ARGV[3] .. '|' .. epoch_exposure end
return 'A|' .. ARGV[3] .. '|' .. money_format(total)
