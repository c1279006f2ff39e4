-- Helpers shared by the session scripts; prepended to each of them when they are loaded.
--
-- A user's keys (session hashes, active index, revoked index) share the {owner hint} hash tag. The scripts derive
-- session keys from the '<prefix>{<hint>}:session:' part they are given and the ids in the index keys, so every key
-- a script touches lives in the hash slot of its declared keys.
--
-- Both indexes are scored by purge time: when the service clock reaches it the session disappears (an active
-- session without a lifetime scores '+inf'). The active index holds the sessions that are not revoked (active, or
-- expired by their expires_at); the revoked index holds the revoked ones. An index entry whose record is missing
-- before its purge time is a lost record (evicted, or deleted by hand): it is dropped and counted.

-- A score as a number: Redis writes an infinite score as 'inf'.
local function score_of(text)
  if text == 'inf' or text == '+inf' then
    return math.huge
  end
  return tonumber(text)
end

-- Sets an index's lifetime from its last entry: until that purge time, or none while it holds a session without a
-- lifetime.
local function refresh_index_ttl(index_key, now)
  local last = redis.call('ZRANGE', index_key, -1, -1, 'WITHSCORES')
  if #last ~= 2 then
    return
  end
  local score = score_of(last[2])
  if score == math.huge then
    redis.call('PERSIST', index_key)
  else
    redis.call('PEXPIRE', index_key, math.max(1, score - now))
  end
end

-- An index lives as long as its last entry, so that an idle user leaves nothing behind; it never expires while it
-- holds a session without a lifetime. Called after an entry was added or moved to {score}: only a new last entry
-- changes the index's lifetime, so nothing more is written otherwise.
local function expire_index(index_key, score, now)
  local last = redis.call('ZRANGE', index_key, -1, -1, 'WITHSCORES')
  if #last == 2 and score_of(last[2]) <= score_of(score) then
    if score_of(last[2]) == math.huge then
      redis.call('PERSIST', index_key)
    else
      redis.call('PEXPIRE', index_key, math.max(1, score_of(last[2]) - now))
    end
  end
end

-- Sets fields of a flat HGETALL reply in place (appending the ones it lacks), so that a script answers the record as
-- written without reading it again.
local function set_fields(fields, values)
  for name, value in pairs(values) do
    local found = false
    for i = 1, #fields, 2 do
      if fields[i] == name then
        fields[i + 1] = value
        found = true
      end
    end
    if not found then
      fields[#fields + 1] = name
      fields[#fields + 1] = value
    end
  end
  return fields
end

-- Revokes one session: status, time, reason, purge time and the next revision in one write, its TTL until its purge
-- time, and moves it from the active index to the revoked index. A session without a lifetime kept the active index
-- alive; once it leaves, the index's lifetime is its new last entry's. Returns the fields written.
local function revoke_session(session_key, active_key, revoked_key, id, revision, at, reason, purge_at, ttl,
    had_lifetime, now)
  local written = {status = 'revoked', revoked_at = tostring(at), revoke_reason = reason,
    purge_at = tostring(purge_at), revision = tostring(tonumber(revision) + 1)}
  redis.call('HSET', session_key, 'status', written.status, 'revoked_at', written.revoked_at, 'revoke_reason', reason,
    'purge_at', written.purge_at, 'revision', written.revision)
  redis.call('PEXPIRE', session_key, ttl)
  redis.call('ZREM', active_key, id)
  redis.call('ZADD', revoked_key, purge_at, id)
  if not had_lifetime then
    refresh_index_ttl(active_key, now)
  end
  return written
end

-- Drops the entries whose purge time has come (by the service clock), records and index entries alike. Costs one
-- command when none is due.
local function prune(prefix, index_key, now)
  local gone = redis.call('ZRANGEBYSCORE', index_key, '-inf', now)
  if #gone > 0 then
    for _, id in ipairs(gone) do
      redis.call('UNLINK', prefix .. id)
    end
    redis.call('ZREMRANGEBYSCORE', index_key, '-inf', now)
  end
end

-- The records of an index's live entries, as flat HGETALL replies; entries whose record is missing are dropped and
-- counted as lost (prune the index first, so that every entry left is before its purge time).
local function records(prefix, index_key, now)
  local found, lost = {}, 0
  for _, id in ipairs(redis.call('ZRANGE', index_key, 0, -1)) do
    local fields = redis.call('HGETALL', prefix .. id)
    if #fields > 0 then
      found[#found + 1] = fields
    else
      redis.call('ZREM', index_key, id)
      lost = lost + 1
    end
  end
  return found, lost
end

-- The value of one field in a flat HGETALL reply.
local function field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then
      return fields[i + 1]
    end
  end
  return nil
end

-- Whether a record (flat HGETALL reply, status 'active') is past its expires_at by the service clock.
local function is_expired(fields, now)
  local expires_at = field(fields, 'expires_at')
  return expires_at ~= nil and tonumber(expires_at) <= now
end
