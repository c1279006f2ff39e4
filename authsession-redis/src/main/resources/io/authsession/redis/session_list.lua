-- Lists a user's sessions (unordered; the caller sorts and decides active or expired by its clock). Entries whose
-- record is gone are dropped from the index, so a listing never returns a session that no longer exists.
-- Needs session_lib.lua prepended (LuaScript does).
-- KEYS[1]  user's active index   KEYS[2]  user's revoked index
-- ARGV[1]  session key prefix   ARGV[2]  now (ms)   ARGV[3]  'all' | 'active' | 'expired' | 'revoked'
-- Returns  {lost records, {session fields, ...}}
local prefix, now, which = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local out, lost = {}, 0
local function collect(index_key)
  prune(prefix, index_key, now)
  local found, found_lost = records(prefix, index_key, now)
  lost = lost + found_lost
  for _, fields in ipairs(found) do
    out[#out + 1] = fields
  end
end
if which ~= 'revoked' then
  collect(KEYS[1])
end
if which == 'all' or which == 'revoked' then
  collect(KEYS[2])
end
return {lost, out}
