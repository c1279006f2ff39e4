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
-- One read of the whole record serves the checks and the answer.
local fields = redis.call('HGETALL', KEYS[1])
local status, purge, expires_at = field(fields, 'status'), field(fields, 'purge_at'), field(fields, 'expires_at')
if not status or (purge and tonumber(purge) <= now) then
  return nil
end
if status == 'revoked' or (expires_at and tonumber(expires_at) <= at) then
  return {0, fields}
end
local user = field(fields, 'user_id')
local active_key, revoked_key = tagged .. 'user-active:' .. user, tagged .. 'user-revoked:' .. user
prune(tagged .. 'session:', revoked_key, now)
local purge_at = at + tonumber(ARGV[5])
local written = revoke_session(KEYS[1], active_key, revoked_key, field(fields, 'device_session_id'),
  field(fields, 'revision'), ARGV[4], ARGV[3], purge_at, math.max(1, purge_at - now), expires_at ~= nil, now)
expire_index(revoked_key, purge_at, now)
return {1, set_fields(fields, written)}
