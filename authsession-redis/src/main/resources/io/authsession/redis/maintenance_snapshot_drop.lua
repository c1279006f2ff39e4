-- Deletes a gateway snapshot only while it still holds the value an operator's audit read (compare and delete), so
-- that a publication made since is never lost. `admin keys audit --repair` then publishes the true snapshot.
-- KEYS[1]  the snapshot key   ARGV[1]  the value read
-- Returns  1 when deleted, 0 when the key changed (or is gone)
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
