-- Opens a resend window unless one is open (by the service clock). A refused attempt changes nothing.
-- KEYS[1]  the window key; its value is '<token> <until ms>'
-- ARGV[1]  token   ARGV[2]  now (ms)   ARGV[3]  window length (ms)
-- Returns  1 when this call opened the window, 0 when one is open
local now, length = tonumber(ARGV[2]), tonumber(ARGV[3])
local open = redis.call('GET', KEYS[1])
if open then
  local open_until = tonumber(string.match(open, ' (%d+)$'))
  if open_until and now < open_until then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. (now + length), 'PX', length)
return 1
