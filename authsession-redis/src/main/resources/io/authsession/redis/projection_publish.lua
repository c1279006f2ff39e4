-- Publishes one revision of a session for the gateway: the snapshot key and one stream event, all or nothing.
-- KEYS[1]  snapshot key (gateway:session:<id>)   KEYS[2]  event stream
-- ARGV[1]  revision   ARGV[2]  snapshot JSON   ARGV[3]  snapshot TTL in ms, 0 for none (active)
-- ARGV[4]  stream MAXLEN (approximate)   ARGV[5]  device session id   ARGV[6]  user id   ARGV[7]  status
-- Returns  1 when written, 0 when the key already holds this revision or a later one
--
-- All or nothing: every command that can fail runs before the first write. GET fails on a key of another type;
-- XADD fails on a stream key of another type, and then nothing was written. SET cannot fail once XADD succeeded
-- (Redis lets a script that has written finish even when over maxmemory).
local revision = tonumber(ARGV[1])
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and tonumber(decoded['revision']) and tonumber(decoded['revision']) >= revision then
    return 0
  end
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*',
  'device_session_id', ARGV[5], 'user_id', ARGV[6], 'status', ARGV[7], 'revision', ARGV[1], 'snapshot', ARGV[2])
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return 1
