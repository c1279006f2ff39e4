-- Helpers shared by the session scripts; prepended to each of them when they are loaded.
--
-- A user's keys (session hashes, active index, revoked index) share the {owner hint} hash tag. The scripts derive
-- session keys from ARGV[1] (the '<prefix>{<hint>}:session:' part) and the ids in the declared index keys, so every
-- key a script touches lives in the hash slot of its declared keys.

-- Revokes one active session: status, time, reason, next revision, TTL until its purge time, and moves it from the
-- active index to the revoked index (scored by purge time).
local function revoke_session(session_key, active_key, revoked_key, id, at, reason, purge_at, ttl)
  redis.call('HSET', session_key, 'status', 'revoked', 'revoked_at', at, 'revoke_reason', reason, 'purge_at', purge_at)
  redis.call('HINCRBY', session_key, 'revision', 1)
  redis.call('PEXPIRE', session_key, ttl)
  redis.call('ZREM', active_key, id)
  redis.call('ZADD', revoked_key, purge_at, id)
end

-- Drops revoked sessions whose purge time has come (by the service clock), records and index entries alike.
local function prune_revoked(prefix, revoked_key, now)
  local gone = redis.call('ZRANGEBYSCORE', revoked_key, '-inf', now)
  for _, id in ipairs(gone) do
    redis.call('DEL', prefix .. id)
  end
  if #gone > 0 then
    redis.call('ZREMRANGEBYSCORE', revoked_key, '-inf', now)
  end
end

-- The revoked index lives as long as its last entry, so that an idle user leaves nothing behind.
local function expire_revoked_index(revoked_key, now)
  local last = redis.call('ZRANGE', revoked_key, -1, -1, 'WITHSCORES')
  if #last == 2 then
    redis.call('PEXPIRE', revoked_key, math.max(1, tonumber(last[2]) - now))
  end
end
