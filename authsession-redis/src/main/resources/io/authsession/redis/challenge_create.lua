-- Stores a new challenge with its TTL in the same step.
-- KEYS[1]  the challenge hash
-- ARGV[1]  TTL in milliseconds (purge time minus now, by the service clock)
-- ARGV[2..] field, value, field, value, ...
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
