-- Revokes one session; a revoked one is returned unchanged.
-- Needs session_lib.lua prepended (LuaScript does): revoke_session, prune_revoked, expire_revoked_index.
-- KEYS[1]  session hash   KEYS[2]  owner's active index   KEYS[3]  owner's revoked index
-- ARGV[1]  session key prefix   ARGV[2]  now (ms)   ARGV[3]  reason   ARGV[4]  revoked at (ms)
-- ARGV[5]  purge time (ms)   ARGV[6]  TTL (ms)
-- Returns  nil when there is no such session, else {changed 1|0, session fields}
local prefix, now = ARGV[1], tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'status', 'purge_at', 'device_session_id')
if not state[1] or (state[2] and tonumber(state[2]) <= now) then
  return nil
end
prune_revoked(prefix, KEYS[3], now)
if state[1] == 'revoked' then
  return {0, redis.call('HGETALL', KEYS[1])}
end
revoke_session(KEYS[1], KEYS[2], KEYS[3], state[3], ARGV[4], ARGV[3], ARGV[5], ARGV[6])
expire_revoked_index(KEYS[3], now)
return {1, redis.call('HGETALL', KEYS[1])}
