-- Discards the code of a pending challenge whose delivery failed, so that it can never be confirmed.
-- Never creates the key (a missing challenge stays missing, and keeps no TTL-less remains).
-- KEYS[1]  the challenge hash
if redis.call('HGET', KEYS[1], 'status') == 'pending_confirmation' then
  redis.call('HSET', KEYS[1], 'delivery', 'delivery_failed')
  redis.call('HDEL', KEYS[1], 'code_hash')
end
return 1
