-- Closes an address's failed-guess window (an operator lifting a lock).
-- Needs challenge_lib.lua prepended (LuaScript does): guesses.
-- KEYS[1]  the address's failed-guess window   ARGV[1]  now (ms)
-- Returns  1 when a window was open by the service clock, else 0
local _, ends = guesses(KEYS[1], tonumber(ARGV[1]))
redis.call('DEL', KEYS[1])
if ends then
  return 1
end
return 0
