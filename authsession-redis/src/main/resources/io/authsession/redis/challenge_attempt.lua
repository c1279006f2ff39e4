-- Counts a wrong code, after the checks of the confirm table in order.
-- Needs challenge_lib.lua prepended (LuaScript does): refusal.
-- KEYS[1]  the challenge hash
-- ARGV[1]  now (ms, service clock)   ARGV[2]  maximum failed attempts
-- Returns  'counted' | 'too_many_attempts' | 'expired' | 'not_found'
local c = redis.call('HMGET', KEYS[1], 'status', 'expires_at', 'attempts', 'purge_at')
local refused = refusal(c, tonumber(ARGV[1]), tonumber(ARGV[2]))
if refused then
  return refused
end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return 'counted'
