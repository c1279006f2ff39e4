-- Lists a user's sessions (unordered; the caller sorts). Entries whose record is gone are dropped from the index,
-- Needs session_lib.lua prepended (LuaScript does): revoke_session, prune_revoked, expire_revoked_index.
-- so a listing never returns a session that no longer exists.
-- KEYS[1]  user's active index   KEYS[2]  user's revoked index
-- ARGV[1]  session key prefix   ARGV[2]  now (ms)   ARGV[3]  'all' | 'active' | 'revoked'
-- Returns  {session fields, ...}
local prefix, now, which = ARGV[1], tonumber(ARGV[2]), ARGV[3]
prune_revoked(prefix, KEYS[2], now)
local out = {}
local function collect(index_key)
  for _, id in ipairs(redis.call('ZRANGE', index_key, 0, -1)) do
    local fields = redis.call('HGETALL', prefix .. id)
    if #fields > 0 then
      out[#out + 1] = fields
    else
      redis.call('ZREM', index_key, id)
    end
  end
end
if which ~= 'revoked' then
  collect(KEYS[1])
end
if which ~= 'active' then
  collect(KEYS[2])
end
return out
