-- Revokes every active session of a user, then returns every revoked session of the user.
-- Needs session_lib.lua prepended (LuaScript does): revoke_session, prune_revoked, expire_revoked_index.
-- KEYS[1]  user's active index   KEYS[2]  user's revoked index
-- ARGV[1]  session key prefix   ARGV[2]  now (ms)   ARGV[3]  reason   ARGV[4]  revoked at (ms)
-- ARGV[5]  purge time (ms)   ARGV[6]  TTL (ms)
-- Returns  {{changed 1|0, session fields}, ...}
local prefix, now = ARGV[1], tonumber(ARGV[2])
prune_revoked(prefix, KEYS[2], now)
local changed = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local session_key = prefix .. id
  if redis.call('EXISTS', session_key) == 1 then
    revoke_session(session_key, KEYS[1], KEYS[2], id, ARGV[4], ARGV[3], ARGV[5], ARGV[6])
    changed[id] = true
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
expire_revoked_index(KEYS[2], now)
local result = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local fields = redis.call('HGETALL', prefix .. id)
  if #fields > 0 then
    result[#result + 1] = {changed[id] and 1 or 0, fields}
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return result
