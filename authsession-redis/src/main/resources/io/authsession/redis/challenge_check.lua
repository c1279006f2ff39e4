-- Checks a typed code against a challenge, in the order of the confirm table, and counts a wrong one against the
-- challenge and its address in the same step.
-- Needs challenge_lib.lua prepended (LuaScript does): refusal, guesses, locked.
-- KEYS[1]  the challenge hash
-- ARGV[1]  now (ms, service clock)   ARGV[2]  maximum failed attempts   ARGV[3]  address budget (0 = off)
-- ARGV[4]  address window (ms)   ARGV[5]  the code's hash under the current key   ARGV[6]  under the previous key, or ''
-- ARGV[7]  the challenge's tagged key prefix ('<prefix>{<hint>}:'), from which the address keys are derived
-- Returns  {'not_found'} | {'expired'} | {'too_many_attempts'} | {'address_locked'}
--          | {'invalid_code', 1 when this guess locked the address else 0, address key}
--          | {'matched', challenge fields...}
--
-- The hashes are compared as Lua strings, which Redis interns: equality is a pointer comparison, so its time does
-- not depend on how much of a hash matches. The key that made them never leaves the service.
local now, max, budget, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
-- One read of the whole hash serves the checks and, on a match, the answer.
local flat = redis.call('HGETALL', KEYS[1])
local f = {}
for i = 1, #flat, 2 do
  f[flat[i]] = flat[i + 1]
end
local refused = refusal({f.status or false, f.expires_at, f.attempts or false, f.purge_at}, now, max)
if refused then
  return {refused}
end
local guesses_key = ARGV[7] .. 'guesses:' .. f.address
local count, ends = 0, nil
if budget > 0 then
  count, ends = guesses(guesses_key, now)
  if count >= budget then
    return {'address_locked'}
  end
end
local stored = f.code_hash
if stored and (stored == ARGV[5] or (ARGV[6] ~= '' and stored == ARGV[6])) then
  return {'matched', flat}
end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
local locked_now = 0
if budget > 0 then
  if not ends then
    count, ends = 0, now + window
  end
  count = count + 1
  redis.call('SET', guesses_key, count .. ' ' .. ends, 'PX', ends - now)
  if count == budget then
    locked_now = 1
  end
end
return {'invalid_code', locked_now, f.address}
