-- wrk script: every request carries a well-formed version-1 voucher for a different, made-up channel address
-- (epoch 1, category 0, count 1, zero price-table hash, a signature of zeros): what a client flooding the gateway
-- with addresses it invents sends. The gateway has to look each one up before it can check a signature.
-- Usage: wrk -t2 -c20 -s random-channels.lua URL
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
end

local function base64url(bytes)
  local out = {}
  for i = 1, #bytes, 3 do
    local n = bytes[i] * 65536 + bytes[i + 1] * 256 + bytes[i + 2]
    for shift = 18, 0, -6 do
      local k = math.floor(n / 2 ^ shift) % 64
      out[#out + 1] = alphabet:sub(k + 1, k + 1)
    end
  end
  return table.concat(out)
end

function request()
  local bytes = { 1 }
  for _ = 1, 20 do bytes[#bytes + 1] = math.random(0, 255) end -- the channel
  for _ = 1, 7 do bytes[#bytes + 1] = 0 end
  bytes[#bytes + 1] = 1 -- epoch 1
  bytes[#bytes + 1] = 0 -- category 0
  for _ = 1, 7 do bytes[#bytes + 1] = 0 end
  bytes[#bytes + 1] = 1 -- count 1
  for _ = 1, 32 + 64 do bytes[#bytes + 1] = 0 end -- price-table hash, r and s
  bytes[#bytes + 1] = 27 -- v
  return wrk.format("GET", nil, { ["Payment-Voucher"] = base64url(bytes) })
end
