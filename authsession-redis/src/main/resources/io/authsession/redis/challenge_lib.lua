-- Helpers shared by the challenge scripts; prepended to each of them when they are loaded.

-- The refusals of the confirm table, in its order, for c = HMGET(challenge, 'status', 'expires_at', 'attempts',
-- 'purge_at', ...): 'not_found' (absent, or purged by the service clock), 'expired' (pending only),
-- 'too_many_attempts'; nil when the challenge may be tried.
local function refusal(c, now, max)
  if not c[1] or tonumber(c[4]) <= now then
    return 'not_found'
  end
  if c[1] == 'pending_confirmation' and now >= tonumber(c[2]) then
    return 'expired'
  end
  if tonumber(c[3]) >= max then
    return 'too_many_attempts'
  end
  return nil
end
