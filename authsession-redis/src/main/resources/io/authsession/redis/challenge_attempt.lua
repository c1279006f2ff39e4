-- Counts a wrong code, after the checks of the confirm table in order.
-- KEYS[1]  the challenge hash
-- ARGV[1]  now (ms, service clock)   ARGV[2]  maximum failed attempts
-- Returns  'counted' | 'too_many_attempts' | 'expired' | 'not_found'
local now, max = tonumber(ARGV[1]), tonumber(ARGV[2])
local c = redis.call('HMGET', KEYS[1], 'status', 'expires_at', 'attempts', 'purge_at')
if not c[1] or tonumber(c[4]) <= now then
  return 'not_found'
end
if c[1] == 'pending_confirmation' and now >= tonumber(c[2]) then
  return 'expired'
end
if tonumber(c[3]) >= max then
  return 'too_many_attempts'
end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return 'counted'
