-- Puts a session record back into the index its status names, and out of the other one (an operator's repair,
-- `admin keys audit --repair`): an active session missing from its user's active index would be missed by a
-- revoke-all and by a mass logout.
-- Needs session_lib.lua prepended (LuaScript does): score_of, refresh_index_ttl, expire_index.
-- KEYS[1]  the session hash
-- ARGV[1]  the owner's tagged key prefix ('<prefix>{<hint>}:')   ARGV[2]  now (ms)
-- Returns  1 when an index changed, 0 when there was nothing to do (or no such session, or it is purged)
local tagged, now = ARGV[1], tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'status', 'purge_at', 'device_session_id', 'user_id')
if not state[1] or not state[3] or not state[4] or (state[2] and tonumber(state[2]) <= now) then
  return 0
end
local active_key, revoked_key = tagged .. 'user-active:' .. state[4], tagged .. 'user-revoked:' .. state[4]
local right, wrong = active_key, revoked_key
if state[1] == 'revoked' then
  right, wrong = revoked_key, active_key
end
local score = state[2] or '+inf'
local changed = 0
if redis.call('ZREM', wrong, state[3]) == 1 then
  refresh_index_ttl(wrong, now)
  changed = 1
end
if redis.call('ZADD', right, 'NX', score, state[3]) == 1 then
  expire_index(right, score, now)
  changed = 1
end
return changed
