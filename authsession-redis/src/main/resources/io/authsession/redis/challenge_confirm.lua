-- Moves a pending challenge to confirmed, remembering the session, re-TTLs it to the idempotency window, and closes
-- its address's failed-guess window (a success restarts the count).
-- Needs challenge_lib.lua prepended (LuaScript does): refusal, guesses, locked.
-- KEYS[1]  the challenge hash
-- ARGV[1]  now (ms)   ARGV[2]  maximum failed attempts   ARGV[3]  device session id   ARGV[4]  user id
-- ARGV[5]  new purge time (ms)   ARGV[6]  its TTL (ms)   ARGV[7]  address budget (0 = off)
-- ARGV[8]  the challenge's tagged key prefix ('<prefix>{<hint>}:')
-- Returns  {'confirmed'} | {'already_confirmed', session id, user id} | {'expired'} | {'too_many_attempts'}
--          | {'address_locked'} | {'not_found'}
local now = tonumber(ARGV[1])
local c = redis.call('HMGET', KEYS[1], 'status', 'expires_at', 'attempts', 'purge_at', 'session_id', 'user_id',
  'address')
local refused = refusal(c, now, tonumber(ARGV[2]))
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
local guesses_key = ARGV[8] .. 'guesses:' .. c[7]
local budget = tonumber(ARGV[7])
local count, ends = 0, nil
if budget > 0 then
  count, ends = guesses(guesses_key, now)
  if count >= budget then
    return {'address_locked'}
  end
end
redis.call('HSET', KEYS[1], 'status', 'confirmed_pending_expire', 'session_id', ARGV[3], 'user_id', ARGV[4],
  'purge_at', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
if ends then
  -- A success closes the address's window: the count restarts.
  redis.call('DEL', guesses_key)
end
return {'confirmed'}
