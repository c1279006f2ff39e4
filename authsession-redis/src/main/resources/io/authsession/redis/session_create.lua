-- Creates a session unless its id exists, then revokes the user's oldest other active sessions beyond the limit.
-- Needs session_lib.lua prepended (LuaScript does).
-- KEYS[1]  session hash   KEYS[2]  user's active index   KEYS[3]  user's revoked index
-- ARGV[1]  session key prefix   ARGV[2]  now (ms)   ARGV[3]  active session limit, 0 for none
-- ARGV[4]  retention (ms)   ARGV[5]  device session id   ARGV[6]  created at (ms)   ARGV[7]  reason of limit revocations
-- ARGV[8]  the new session's purge time (ms), or '+inf' when it has no lifetime
-- ARGV[9..]  field, value, ... of the new session
-- Returns  {1, {}, {fields of each session revoked by the limit, oldest first}, lost records} when
--          created, or {0, stored session fields, {fields of every other revoked session of the user}, lost records}
--          when the id exists (a replay, which publishes them again)
local prefix, now, max, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local id, created_at, purge_at = ARGV[5], ARGV[6], ARGV[8]
if redis.call('EXISTS', KEYS[1]) == 1 then
  prune(prefix, KEYS[3], now)
  local revoked, lost = records(prefix, KEYS[3], now)
  local others = {}
  for _, fields in ipairs(revoked) do
    if field(fields, 'device_session_id') ~= id then
      others[#others + 1] = fields
    end
  end
  return {0, redis.call('HGETALL', KEYS[1]), others, lost}
end
redis.call('HSET', KEYS[1], unpack(ARGV, 9))
if purge_at ~= '+inf' then
  redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(purge_at) - now))
end
redis.call('ZADD', KEYS[2], purge_at, id)
expire_index(KEYS[2], purge_at, now)

local limited, lost = {}, 0
if max > 0 then
  prune(prefix, KEYS[2], now)
  local active, found_lost = records(prefix, KEYS[2], now)
  lost = found_lost
  local others = {}
  for _, fields in ipairs(active) do
    local other = field(fields, 'device_session_id')
    if other ~= id and not is_expired(fields, now) then
      others[#others + 1] = {tonumber(field(fields, 'created_at')), other, field(fields, 'revision'),
        field(fields, 'expires_at') ~= nil}
    end
  end
  table.sort(others, function(a, b)
    if a[1] == b[1] then
      return a[2] < b[2]
    end
    return a[1] < b[1]
  end)
  local limit_purge = tonumber(created_at) + retention
  for i = 1, #others - (max - 1) do
    local other_key = prefix .. others[i][2]
    revoke_session(other_key, KEYS[2], KEYS[3], others[i][2], others[i][3], created_at, ARGV[7], limit_purge,
      math.max(1, limit_purge - now), others[i][4], now)
    limited[#limited + 1] = redis.call('HGETALL', other_key)
  end
  if #limited > 0 then
    expire_index(KEYS[3], limit_purge, now)
  end
end
-- The caller knows the fields it wrote: they are not read back.
return {1, {}, limited, lost}
