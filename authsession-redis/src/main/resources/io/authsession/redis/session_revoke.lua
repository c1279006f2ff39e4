-- Revokes one session; a revoked or expired one is returned unchanged.
-- Needs session_lib.lua prepended (LuaScript does).
-- KEYS[1]  session hash
-- ARGV[1]  the owner's tagged key prefix ('<prefix>{<hint>}:', the hint of the session id)   ARGV[2]  now (ms)
-- ARGV[3]  reason   ARGV[4]  revoked at (ms)   ARGV[5]  retention (ms)
-- Returns  nil when there is no such session, else {changed 1|0, session fields}
--
-- The owner's index keys are derived from the owner read here, in the slot of the session's hash tag, so that a
-- revocation needs no read of its own first.
local tagged, now, at = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'status', 'purge_at', 'device_session_id', 'user_id', 'revision',
  'expires_at')
if not state[1] or (state[2] and tonumber(state[2]) <= now) then
  return nil
end
if state[1] == 'revoked' or (state[6] and tonumber(state[6]) <= at) then
  return {0, redis.call('HGETALL', KEYS[1])}
end
local active_key, revoked_key = tagged .. 'user-active:' .. state[4], tagged .. 'user-revoked:' .. state[4]
prune(tagged .. 'session:', revoked_key, now)
local purge_at = at + tonumber(ARGV[5])
revoke_session(KEYS[1], active_key, revoked_key, state[3], state[5], ARGV[4], ARGV[3], purge_at,
  math.max(1, purge_at - now), state[6] ~= false, now)
expire_index(revoked_key, purge_at, now)
return {1, redis.call('HGETALL', KEYS[1])}
