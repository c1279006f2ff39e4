-- Moves a pending challenge to confirmed, remembering the session, and re-TTLs it to the idempotency window.
-- Needs challenge_lib.lua prepended (LuaScript does): refusal.
-- KEYS[1]  the challenge hash
-- ARGV[1]  now (ms)   ARGV[2]  maximum failed attempts   ARGV[3]  device session id   ARGV[4]  user id
-- ARGV[5]  new purge time (ms)   ARGV[6]  its TTL (ms)
-- Returns  {'confirmed'} | {'already_confirmed', session id, user id} | {'expired'} | {'too_many_attempts'}
--          | {'not_found'}
local c = redis.call('HMGET', KEYS[1], 'status', 'expires_at', 'attempts', 'purge_at', 'session_id', 'user_id')
local refused = refusal(c, tonumber(ARGV[1]), tonumber(ARGV[2]))
if refused == 'not_found' then
  return {refused}
end
-- A concurrent confirm won: its session is the answer, whatever the attempts since.
if c[1] == 'confirmed_pending_expire' then
  return {'already_confirmed', c[5], c[6]}
end
if refused then
  return {refused}
end
redis.call('HSET', KEYS[1], 'status', 'confirmed_pending_expire', 'session_id', ARGV[3], 'user_id', ARGV[4],
  'purge_at', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return {'confirmed'}
