-- Extends an active session: its expiry moves to min(now + idle timeout, lifetime cap), one revision later, unless
-- that moves it forward by less than the minimum (or the idle timeout is off): then nothing is written.
-- Needs session_lib.lua prepended (LuaScript does).
-- KEYS[1]  session hash
-- ARGV[1]  the owner's tagged key prefix ('<prefix>{<hint>}:')   ARGV[2]  now (ms)   ARGV[3]  idle timeout (ms)
-- ARGV[4]  minimum move (ms)   ARGV[5]  retention (ms)
-- Returns  nil when there is no such session, else {'extended' | 'unchanged' | 'inactive', session fields}
local tagged, now, idle = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'status', 'purge_at', 'expires_at', 'cap_at', 'revision', 'user_id',
  'device_session_id')
if not state[1] or (state[2] and tonumber(state[2]) <= now) then
  return nil
end
if state[1] ~= 'active' or (state[3] and tonumber(state[3]) <= now) then
  return {'inactive', redis.call('HGETALL', KEYS[1])}
end
if idle == 0 or not state[3] then
  return {'unchanged', redis.call('HGETALL', KEYS[1])}
end
local target = now + idle
if state[4] and tonumber(state[4]) < target then
  target = tonumber(state[4])
end
if target < tonumber(state[3]) + tonumber(ARGV[4]) then
  return {'unchanged', redis.call('HGETALL', KEYS[1])}
end
local purge_at = target + tonumber(ARGV[5])
redis.call('HSET', KEYS[1], 'expires_at', target, 'purge_at', purge_at, 'revision', tonumber(state[5]) + 1)
redis.call('PEXPIRE', KEYS[1], math.max(1, purge_at - now))
local active_key = tagged .. 'user-active:' .. state[6]
redis.call('ZADD', active_key, 'XX', purge_at, state[7])
expire_index(active_key, purge_at, now)
return {'extended', redis.call('HGETALL', KEYS[1])}
