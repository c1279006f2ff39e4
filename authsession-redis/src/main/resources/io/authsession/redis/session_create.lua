-- Creates a session unless its id exists, then revokes the user's oldest other active sessions beyond the limit.
-- Needs session_lib.lua prepended (LuaScript does): revoke_session, prune_revoked, expire_revoked_index.
-- KEYS[1]  session hash   KEYS[2]  user's active index   KEYS[3]  user's revoked index
-- ARGV[1]  session key prefix   ARGV[2]  now (ms)   ARGV[3]  active session limit, 0 for none
-- ARGV[4]  purge time of limit revocations (ms)   ARGV[5]  their TTL (ms)
-- ARGV[6]  device session id   ARGV[7]  created at (ms)   ARGV[8]  reason of limit revocations
-- ARGV[9..]  field, value, ... of the new session
-- Returns  {1, session fields, {fields of each session revoked by the limit, oldest first}} when created, or
--          {0, stored session fields, {fields of every other revoked session of the user}} when the id exists (a replay,
--          which publishes them again)
local prefix, now, max = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local id, created_at = ARGV[6], ARGV[7]
if redis.call('EXISTS', KEYS[1]) == 1 then
  prune_revoked(prefix, KEYS[3], now)
  local revoked = {}
  for _, other in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
    local fields = other ~= id and redis.call('HGETALL', prefix .. other) or {}
    if #fields > 0 then
      revoked[#revoked + 1] = fields
    end
  end
  return {0, redis.call('HGETALL', KEYS[1]), revoked}
end
redis.call('HSET', KEYS[1], unpack(ARGV, 9))
redis.call('ZADD', KEYS[2], created_at, id)
prune_revoked(prefix, KEYS[3], now)

local limited = {}
if max > 0 then
  local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
  local excess = #ids - max
  for _, other in ipairs(ids) do
    if excess <= 0 then
      break
    end
    if other ~= id then
      local other_key = prefix .. other
      if redis.call('EXISTS', other_key) == 1 then
        revoke_session(other_key, KEYS[2], KEYS[3], other, created_at, ARGV[8], ARGV[4], ARGV[5])
        limited[#limited + 1] = redis.call('HGETALL', other_key)
      else
        redis.call('ZREM', KEYS[2], other)
      end
      excess = excess - 1
    end
  end
  expire_revoked_index(KEYS[3], now)
end
return {1, redis.call('HGETALL', KEYS[1]), limited}
