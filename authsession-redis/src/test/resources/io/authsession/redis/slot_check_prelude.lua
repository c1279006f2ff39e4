-- Test-only prelude, put in front of every script by SlotCheck: every key a script passes to redis.call or
-- redis.pcall (the first argument of every command the scripts use) must hash to the slot of KEYS[1], as Redis
-- Cluster requires of a script. Redis 6.2 only refuses a key served by another node; this refuses any other slot,
-- on any server, deterministically.
local __redis = redis

-- CRC16/XMODEM of a string, as Redis Cluster computes key slots.
local function __crc16(text)
  local crc = 0
  for i = 1, #text do
    crc = bit.bxor(crc, bit.lshift(string.byte(text, i), 8))
    for _ = 1, 8 do
      if bit.band(crc, 0x8000) ~= 0 then
        crc = bit.band(bit.bxor(bit.lshift(crc, 1), 0x1021), 0xffff)
      else
        crc = bit.band(bit.lshift(crc, 1), 0xffff)
      end
    end
  end
  return crc
end

-- The slot of a key: of its first non-empty {hash tag}, else of the whole name.
local function __slot(key)
  local open = string.find(key, '{', 1, true)
  if open then
    local close = string.find(key, '}', open + 1, true)
    if close and close > open + 1 then
      key = string.sub(key, open + 1, close - 1)
    end
  end
  return __crc16(key) % 16384
end

local __expected = __slot(KEYS[1])
for i = 2, #KEYS do
  if __slot(KEYS[i]) ~= __expected then
    error('CROSSSLOT declared key ' .. KEYS[i] .. ' is not in the slot of ' .. KEYS[1])
  end
end

local function __checked(name)
  return function(command, key, ...)
    if type(key) == 'string' and __slot(key) ~= __expected then
      error('CROSSSLOT ' .. command .. ' ' .. key .. ' is not in the slot of ' .. KEYS[1])
    end
    return __redis[name](command, key, ...)
  end
end

-- Shadows the global table for the rest of the script, helpers included.
local redis = setmetatable({call = __checked('call'), pcall = __checked('pcall')}, {__index = __redis})
