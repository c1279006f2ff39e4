-- Revokes one session; a revoked one is returned unchanged.
-- Needs session_lib.lua prepended (LuaScript does): revoke_session, prune_revoked, expire_revoked_index.
-- KEYS[1]  session hash
-- ARGV[1]  the owner's tagged key prefix ('<prefix>{<hint>}:', the hint of the session id)   ARGV[2]  now (ms)
-- ARGV[3]  reason   ARGV[4]  revoked at (ms)   ARGV[5]  purge time (ms)   ARGV[6]  TTL (ms)
-- Returns  nil when there is no such session, else {changed 1|0, session fields}
--
-- The owner's index keys are derived from the owner read here, in the slot of the session's hash tag, so that a
-- revocation needs no read of its own first.
local tagged, now = ARGV[1], tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'status', 'purge_at', 'device_session_id', 'user_id')
if not state[1] or (state[2] and tonumber(state[2]) <= now) then
  return nil
end
local active_key, revoked_key = tagged .. 'user-active:' .. state[4], tagged .. 'user-revoked:' .. state[4]
prune_revoked(tagged .. 'session:', revoked_key, now)
if state[1] == 'revoked' then
  return {0, redis.call('HGETALL', KEYS[1])}
end
revoke_session(KEYS[1], active_key, revoked_key, state[3], ARGV[4], ARGV[3], ARGV[5], ARGV[6])
expire_revoked_index(revoked_key, now)
return {1, redis.call('HGETALL', KEYS[1])}
