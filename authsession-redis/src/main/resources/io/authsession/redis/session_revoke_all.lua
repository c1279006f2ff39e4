-- Revokes every active session of a user, then returns every revoked session of the user. Expired sessions are not
-- active: they are left as they are.
-- Needs session_lib.lua prepended (LuaScript does).
-- KEYS[1]  user's active index   KEYS[2]  user's revoked index
-- ARGV[1]  session key prefix   ARGV[2]  now (ms)   ARGV[3]  reason   ARGV[4]  revoked at (ms)   ARGV[5]  retention (ms)
-- Returns  {lost records, {{changed 1|0, session fields}, ...}}
local prefix, now, at = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4])
local purge_at = at + tonumber(ARGV[5])
prune(prefix, KEYS[1], now)
prune(prefix, KEYS[2], now)
-- The revoked sessions known before, read first: those this call revokes are answered as written, not read again.
local result, lost = {}, 0
local revoked_before, revoked_lost = records(prefix, KEYS[2], now)
for _, fields in ipairs(revoked_before) do
  result[#result + 1] = {0, fields}
end
local active, active_lost = records(prefix, KEYS[1], now)
lost = active_lost + revoked_lost
local changed = false
for _, fields in ipairs(active) do
  if not is_expired(fields, at) then
    local id = field(fields, 'device_session_id')
    -- The active index is emptied of all but expired sessions, whose lifetimes keep it: no refresh per session.
    local written = revoke_session(prefix .. id, KEYS[1], KEYS[2], id, field(fields, 'revision'), ARGV[4], ARGV[3],
      purge_at, math.max(1, purge_at - now), true, now)
    result[#result + 1] = {1, set_fields(fields, written)}
    changed = true
  end
end
if changed then
  expire_index(KEYS[2], purge_at, now)
  refresh_index_ttl(KEYS[1], now)
end
return {lost, result}
