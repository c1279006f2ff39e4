-- Drops index entries whose record is gone, then sets the index's lifetime from its last entry (an operator's
-- repair, `admin keys audit --repair`). Each entry is checked again here, so that a session created since the audit
-- read the index is never dropped.
-- Needs session_lib.lua prepended (LuaScript does): refresh_index_ttl.
-- KEYS[1]  a user's active or revoked index
-- ARGV[1]  the user's session key prefix ('<prefix>{<hint>}:session:')   ARGV[2]  now (ms)
-- ARGV[3..]  the session ids to drop when their record is missing
-- Returns  the number of entries dropped
local prefix, now = ARGV[1], tonumber(ARGV[2])
local dropped = 0
for i = 3, #ARGV do
  if redis.call('EXISTS', prefix .. ARGV[i]) == 0 then
    dropped = dropped + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
refresh_index_ttl(KEYS[1], now)
return dropped
