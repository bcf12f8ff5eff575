-- Exact unsigned decimal arithmetic for amounts in wei. Lua numbers are doubles (exact only to 2^53),
-- so amounts travel as decimal strings and are computed here in limbs of 7 decimal digits, whose
-- products (< 10^14) stay exact. Every amount this helper prints is zero-padded to MONEY_WIDTH digits,
-- so stored amounts have one fixed width. Property-tested against BigInteger (LuaMoneyTest).
local MONEY_BASE = 10000000
local MONEY_LIMB = 7
local MONEY_WIDTH = 84

local function money_parse(s)
  if type(s) ~= 'string' or not string.match(s, '^%d+$') then
    error('not a decimal amount: ' .. tostring(s))
  end
  s = string.match(s, '^0*(%d*)$')
  if s == '' then return {0} end
  local limbs = {}
  local i = #s
  while i >= 1 do
    local j = i - MONEY_LIMB + 1
    if j < 1 then j = 1 end
    limbs[#limbs + 1] = tonumber(string.sub(s, j, i))
    i = j - 1
  end
  while #limbs > 1 and limbs[#limbs] == 0 do limbs[#limbs] = nil end
  return limbs
end

local function money_format(a)
  local parts = {}
  for i = #a, 1, -1 do parts[#parts + 1] = string.format('%07d', a[i]) end
  local s = string.gsub(table.concat(parts), '^0+', '')
  if #s > MONEY_WIDTH then error('amount overflow') end
  return string.rep('0', MONEY_WIDTH - #s) .. s
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
  local r, carry = {}, 0
  for i = 1, math.max(#a, #b) do
    local v = (a[i] or 0) + (b[i] or 0) + carry
    carry = math.floor(v / MONEY_BASE)
    r[i] = v - carry * MONEY_BASE
  end
  if carry > 0 then r[#r + 1] = carry end
  return money_trim(r)
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

local function money_mul(a, b)
  local r = {}
  for i = 1, #a + #b do r[i] = 0 end
  for i = 1, #a do
    local carry = 0
    for j = 1, #b do
      local v = r[i + j - 1] + a[i] * b[j] + carry
      carry = math.floor(v / MONEY_BASE)
      r[i + j - 1] = v - carry * MONEY_BASE
    end
    local k = i + #b
    while carry > 0 do
      local v = r[k] + carry
      carry = math.floor(v / MONEY_BASE)
      r[k] = v - carry * MONEY_BASE
      k = k + 1
    end
  end
  return money_trim(r)
end

-- An integer-valued double (a count, at most 2^53) as a decimal string without exponent.
local function int_string(n)
  return string.format('%.0f', n)
end
