-- The gateway's atomic ledger step for vouchers: anti-replay window, exposure check and best voucher, all or
-- nothing. One call carries a batch of steps, run in order: entry i has the keys KEYS[4i+1..4i+4] and the
-- arguments ARGV[9i+1..9i+9]. Keys of one entry share the channel's hash tag.
--
-- KEYS 1: window hash of (channel, epoch, category): field `top` = highest accepted count, `at` = when
-- KEYS 2: bitmap of seen counts inside the window: bit (count mod W)
-- KEYS 3: exposure hash of the channel: field <epoch> = sum over categories of top count x price
-- KEYS 4: best voucher hash of the channel: field <epoch>:<category> = the encoded voucher with signature
-- ARGV 1 epoch, 2 category, 3 count (1..2^53-1), 4 price of (epoch, category) in wei, 5 credit limit in wei
-- (what the exposure may reach: the unredeemed deposit on release 1, credit().total on release 2), 6 oldest
-- unredeemed epoch, 7 window size W, 8 encoded voucher, 9 now (epoch millis)
--
-- Returns one reply per entry: 'A|<top count>|<exposure>' or 'R|<reason>'; the caller subtracts the exposure
-- from the credit limit.

-- The exposure of all unredeemed epochs, that of one epoch, and whether other epochs count too.
local function exposures(key, oldest, epoch)
  local total, this, others = {0}, {0}, false
  local fields = redis.call('HGETALL', key)
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

local function step(k, a)
  local window_key, seen_key, exposure_key, best_key = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  local epoch = tonumber(ARGV[a + 1])
  local count = tonumber(ARGV[a + 3])
  local deposit = money_parse(ARGV[a + 5])
  local oldest = tonumber(ARGV[a + 6])
  local window = tonumber(ARGV[a + 7])

  if epoch < oldest then return 'R|EPOCH_REDEEMED' end

  local top = tonumber(redis.call('HGET', window_key, 'top') or '0')

  if count <= top then
    if count <= top - window then return 'R|BELOW_WINDOW' end
    local slot = count % window
    if redis.call('GETBIT', seen_key, slot) == 1 then return 'R|REPLAYED' end
    local total = exposures(exposure_key, oldest, epoch)
    if money_cmp(total, deposit) > 0 then return 'R|UNDERFUNDED' end
    redis.call('SETBIT', seen_key, slot, 1)
    return 'A|' .. int_string(top) .. '|' .. money_format(total)
  end

  local price = money_parse(ARGV[a + 4])
  local jump = count - top
  local delta = price
  if jump > 1 then delta = money_mul(price, money_of(jump)) end
  local total, this, others = exposures(exposure_key, oldest, epoch)
  total = money_add(total, delta)
  if money_cmp(total, deposit) > 0 then return 'R|UNDERFUNDED' end

  -- Slide the window: counts that fall out of it free their bits.
  if jump >= window then
    redis.call('DEL', seen_key)
  else
    for c = top + 1, count - 1 do redis.call('SETBIT', seen_key, c % window, 0) end
  end
  redis.call('SETBIT', seen_key, count % window, 1)
  redis.call('HSET', window_key, 'top', ARGV[a + 3], 'at', ARGV[a + 9])
  local epoch_exposure = money_format(money_add(this, delta))
  redis.call('HSET', exposure_key, ARGV[a + 1], epoch_exposure)
  redis.call('HSET', best_key, ARGV[a + 1] .. ':' .. ARGV[a + 2], ARGV[a + 8])
  if not others then return 'A|' .. ARGV[a + 3] .. '|' .. epoch_exposure end
  return 'A|' .. ARGV[a + 3] .. '|' .. money_format(total)
end

local replies = {}
for i = 0, #KEYS / 4 - 1 do replies[i + 1] = step(4 * i, 9 * i) end
return replies
