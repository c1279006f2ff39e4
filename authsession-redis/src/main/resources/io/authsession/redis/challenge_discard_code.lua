-- Discards the code of a pending challenge, so that it can never be confirmed: its delivery failed, or the user is
-- blocked (then the address in clear goes too). Never creates the key (a missing challenge stays missing, and keeps
-- no TTL-less remains).
-- KEYS[1]  the challenge hash   ARGV[1]  'delivery_failed' | 'delivery_suppressed'
local state = redis.call('HMGET', KEYS[1], 'purge_at', 'status')
if state[1] and state[2] ~= 'confirmed_pending_expire' then
  redis.call('HSET', KEYS[1], 'delivery', ARGV[1])
  redis.call('HDEL', KEYS[1], 'code_hash')
  if ARGV[1] == 'delivery_suppressed' then
    redis.call('HDEL', KEYS[1], 'email')
  end
end
return 1
