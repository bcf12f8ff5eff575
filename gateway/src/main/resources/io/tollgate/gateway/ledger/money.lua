-- Exact unsigned decimal arithmetic for amounts in wei. Lua numbers are doubles (integers exact to 2^53), so
-- amounts travel as decimal strings and are computed here in limbs of 14 decimal digits (< 10^14): a sum of
-- two limbs and a carry stays below 2^53, so addition, subtraction and comparison are exact. Products go
-- through limbs of 7 digits, whose products (< 10^14) stay exact. Divisions by a base use math.fmod (exact),
-- never `/` and floor near a limb boundary. Amounts are printed canonically (no leading zeros) and may have
-- at most MONEY_DIGITS digits. Property-tested against BigInteger (LuaMoneyPropertyTest).
local MONEY_BASE = 100000000000000 -- 10^14
local MONEY_LIMB = 14
local MONEY_DIGITS = 84

local function money_parse(s)
  local digits = type(s) == 'string' and string.match(s, '^0*(%d+)$')
  if not digits then error('not a decimal amount: ' .. tostring(s)) end
  local i = #digits
  if i <= MONEY_LIMB then return {tonumber(digits)} end
  local limbs = {}
  while i >= 1 do
    local j = i - MONEY_LIMB + 1
    if j < 1 then j = 1 end
    limbs[#limbs + 1] = tonumber(string.sub(digits, j, i))
    i = j - 1
  end
  return limbs
end

-- An integer-valued double n, 0 <= n <= 2^53, as an amount.
local function money_of(n)
  if n < MONEY_BASE then return {n} end
  local low = math.fmod(n, MONEY_BASE)
  return {low, (n - low) / MONEY_BASE}
end

local function money_format(a)
  local n = #a
  if n == 1 then return string.format('%d', a[1]) end
  local parts = {string.format('%d', a[n])}
  for i = n - 1, 1, -1 do parts[#parts + 1] = string.format('%014d', a[i]) end
  local s = table.concat(parts)
  if #s > MONEY_DIGITS then error('amount overflow') end
  return s
end

local function money_trim(r)
  while #r > 1 and r[#r] == 0 do r[#r] = nil end
  return r
end

local function money_cmp(a, b)
  if #a ~= #b then return #a < #b and -1 or 1 end
  for i = #a, 1, -1 do
    if a[i] ~= b[i] then return a[i] < b[i] and -1 or 1 end
  end
  return 0
end

local function money_add(a, b)
  if #a == 1 and #b == 1 then
    local v = a[1] + b[1]
    if v < MONEY_BASE then return {v} end
    return {v - MONEY_BASE, 1}
  end
  local r, carry = {}, 0
  for i = 1, math.max(#a, #b) do
    local v = (a[i] or 0) + (b[i] or 0) + carry
    if v >= MONEY_BASE then v = v - MONEY_BASE; carry = 1 else carry = 0 end
    r[i] = v
  end
  if carry > 0 then r[#r + 1] = carry end
  return r
end

-- a - b; an amount never goes below zero, so b > a is an error (a bug, not an outcome).
local function money_sub(a, b)
  if money_cmp(a, b) < 0 then error('negative amount') end
  local r, borrow = {}, 0
  for i = 1, #a do
    local v = a[i] - (b[i] or 0) - borrow
    if v < 0 then v = v + MONEY_BASE; borrow = 1 else borrow = 0 end
    r[i] = v
  end
  return money_trim(r)
end

-- limbs of 10^14 to limbs of 10^7 and back, for products
local HALF_BASE = 10000000
local function money_halves(a)
  local h = {}
  for i = 1, #a do
    local low = math.fmod(a[i], HALF_BASE)
    h[2 * i - 1] = low
    h[2 * i] = (a[i] - low) / HALF_BASE
  end
  return h
end

local function money_mul(a, b)
  local x, y = money_halves(a), money_halves(b)
  local r = {}
  for i = 1, #x + #y + 1 do r[i] = 0 end
  for i = 1, #x do
    local carry = 0
    for j = 1, #y do
      local v = r[i + j - 1] + x[i] * y[j] + carry
      carry = math.floor(v / HALF_BASE)
      r[i + j - 1] = v - carry * HALF_BASE
    end
    local k = i + #y
    while carry > 0 do
      local v = r[k] + carry
      carry = math.floor(v / HALF_BASE)
      r[k] = v - carry * HALF_BASE
      k = k + 1
    end
  end
  local p = {}
  for i = 1, #r, 2 do p[#p + 1] = r[i] + (r[i + 1] or 0) * HALF_BASE end
  return money_trim(p)
end

-- An integer-valued double (a count, at most 2^53) as a decimal string without exponent.
local function int_string(n)
  return string.format('%.0f', n)
end
