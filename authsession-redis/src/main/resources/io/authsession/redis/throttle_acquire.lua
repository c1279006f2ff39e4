-- Opens a resend window unless one is open (by the service clock) or the address has spent its failed-guess budget.
-- A refused attempt changes nothing.
-- Needs challenge_lib.lua prepended (LuaScript does): guesses, locked.
-- KEYS[1]  the window key; its value is '<token> <until ms>'   KEYS[2]  the address's failed-guess window
-- ARGV[1]  token   ARGV[2]  now (ms)   ARGV[3]  window length (ms), 0 to take none   ARGV[4]  budget (0 = off)
-- Returns  1 when this call opened the window, 2 when granted without a window (length 0), 0 when refused
local now, length = tonumber(ARGV[2]), tonumber(ARGV[3])
if locked(KEYS[2], now, tonumber(ARGV[4])) then
  return 0
end
if length == 0 then
  return 2
end
local open = redis.call('GET', KEYS[1])
if open then
  local open_until = tonumber(string.match(open, ' (%d+)$'))
  if open_until and now < open_until then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. (now + length), 'PX', length)
return 1
