-- Helpers shared by the challenge scripts; prepended to each of them when they are loaded.
--
-- A challenge's key and its address's keys (resend window, failed-guess window) share the {hint} hash tag of the
-- challenge id, so a script that touches them stays in one Redis Cluster slot. The failed-guess window of an address
-- is a string '<count> <until ms>' whose key expires with it.

-- The refusals of the confirm table, in its order, for c = HMGET(challenge, 'status', 'expires_at', 'attempts',
-- 'purge_at', ...): 'not_found' (absent, or purged by the service clock), 'expired' (pending only),
-- 'too_many_attempts'; nil when the challenge may be tried. A pending challenge stores no status (a field less in
-- every challenge, throttled ones included): only a confirmed one says so; purge_at is always there.
local function refusal(c, now, max)
  if not c[4] or tonumber(c[4]) <= now then
    return 'not_found'
  end
  if c[1] ~= 'confirmed_pending_expire' and now >= tonumber(c[2]) then
    return 'expired'
  end
  if tonumber(c[3] or '0') >= max then
    return 'too_many_attempts'
  end
  return nil
end

-- The failed-guess window of an address: count and end (ms), or 0 and nil when none is open by the service clock.
local function guesses(key, now)
  local window = redis.call('GET', key)
  if window then
    local count, ends = string.match(window, '^(%d+) (%d+)$')
    if count and tonumber(ends) > now then
      return tonumber(count), tonumber(ends)
    end
  end
  return 0, nil
end

-- Whether the address is at its budget (0 turns the budget off).
local function locked(key, now, budget)
  return budget > 0 and guesses(key, now) >= budget
end
