-- Closes a resend window, only when the caller's token still holds it (compare and delete).
-- KEYS[1]  the window key   ARGV[1]  token
local open = redis.call('GET', KEYS[1])
if open and string.sub(open, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
