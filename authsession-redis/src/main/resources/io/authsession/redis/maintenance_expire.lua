-- Gives a key without a TTL the lifetime its own data names (an operator's repair, `admin keys audit --repair`):
-- a hash (session, challenge) until its purge_at, a string '<token or count> <until ms>' (resend window, failed-guess
-- window) until its end, an index until its last entry's purge time. Read and set in one step, so that a concurrent
-- extension's new lifetime is never overwritten by an older one.
-- Needs session_lib.lua prepended (LuaScript does): refresh_index_ttl.
-- KEYS[1]  the key   ARGV[1]  now (ms)
-- Returns  1 when a lifetime was set (or the key was due and deleted), 0 when it already had one or needs none,
--          -1 when its data names no lifetime
local now = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) ~= -1 then
  return 0
end
local kind = redis.call('TYPE', KEYS[1]).ok
local until_ms
if kind == 'hash' then
  until_ms = tonumber(redis.call('HGET', KEYS[1], 'purge_at'))
  if not until_ms and redis.call('HGET', KEYS[1], 'status') == 'active'
      and not redis.call('HGET', KEYS[1], 'expires_at') then
    return 0
  end
elseif kind == 'string' then
  until_ms = tonumber(string.match(redis.call('GET', KEYS[1]), ' (%d+)$'))
elseif kind == 'zset' then
  refresh_index_ttl(KEYS[1], now)
  if redis.call('PTTL', KEYS[1]) == -1 then
    return 0
  end
  return 1
end
if not until_ms then
  return -1
end
if until_ms <= now then
  redis.call('UNLINK', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], until_ms - now)
end
return 1
