package io.authsession.redis;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.port.Revocation;
import io.authsession.core.port.SessionCreation;
import io.authsession.core.port.SessionStore;
import io.authsession.redis.RedisKeys.UserKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions as Redis hashes with two per-user indexes: active sessions scored by creation time, revoked sessions
 * scored by purge time. Every change of a user's sessions is one script in the user's hash slot.
 */
final class RedisSessionStore implements SessionStore {
    private final RedisCommands redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RedisSessionStore(RedisCommands redis, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public String newSessionId(String userId) {
        return SessionIds.newId(userId, random);
    }

    @Override
    public SessionCreation create(DeviceSession session, int maxActiveSessions, Instant revokedPurgeAt) {
        if (!SessionIds.belongsTo(session.id(), session.userId())) {
            throw new IllegalArgumentException("session ids must come from newSessionId for their user");
        }
        Instant now = clock.instant();
        UserKeys user = keys.user(session.userId());
        List<String> args = new ArrayList<>(List.of(
                user.sessionPrefix(), RedisReplies.millis(now), Integer.toString(maxActiveSessions),
                RedisReplies.millis(revokedPurgeAt), RedisReplies.ttlMillis(revokedPurgeAt, now),
                session.id(), RedisReplies.millis(session.createdAt()), RevokeReasons.SESSION_LIMIT));
        args.addAll(RedisReplies.flat(fieldsOf(session)));
        List<?> reply = (List<?>) redis.eval("create session", LuaScript.SESSION_CREATE,
                List.of(keys.session(session.id()), user.activeSessions(), user.revokedSessions()), args);
        List<DeviceSession> revoked = ((List<?>) reply.get(2)).stream()
                .map(fields -> sessionOf(RedisReplies.fromFlat(fields)))
                .toList();
        return new SessionCreation(sessionOf(RedisReplies.fromFlat(reply.get(1))), Long.valueOf(1).equals(reply.get(0)),
                revoked);
    }

    @Override
    public Optional<DeviceSession> find(String deviceSessionId) {
        Map<String, String> fields = redis.run("find session", client -> client.hgetAll(keys.session(deviceSessionId)));
        if (fields.isEmpty() || isPurged(fields)) {
            return Optional.empty();
        }
        return Optional.of(sessionOf(fields));
    }

    @Override
    public List<DeviceSession> listByUser(String userId, Optional<SessionStatus> status) {
        String which = status.map(SessionStatus::wireName).orElse("all");
        UserKeys user = keys.user(userId);
        List<?> reply = (List<?>) redis.eval("list sessions", LuaScript.SESSION_LIST,
                List.of(user.activeSessions(), user.revokedSessions()),
                List.of(user.sessionPrefix(), RedisReplies.millis(clock.instant()), which));
        // The script already dropped purged sessions (their index score is their purge time).
        return reply.stream()
                .map(RedisReplies::fromFlat)
                .map(RedisSessionStore::sessionOf)
                .sorted(DeviceSession.NEWEST_FIRST)
                .toList();
    }

    @Override
    public Optional<Revocation> revoke(String deviceSessionId, String reason, Instant at, Instant purgeAt) {
        Instant now = clock.instant();
        Object reply = redis.eval("revoke session", LuaScript.SESSION_REVOKE, List.of(keys.session(deviceSessionId)),
                List.of(keys.taggedPrefixOfSession(deviceSessionId), RedisReplies.millis(now), reason,
                        RedisReplies.millis(at), RedisReplies.millis(purgeAt), RedisReplies.ttlMillis(purgeAt, now)));
        if (reply == null) {
            return Optional.empty();
        }
        List<?> result = (List<?>) reply;
        return Optional.of(new Revocation(sessionOf(RedisReplies.fromFlat(result.get(1))), Long.valueOf(1).equals(result.get(0))));
    }

    @Override
    public List<Revocation> revokeAllActive(String userId, String reason, Instant at, Instant purgeAt) {
        Instant now = clock.instant();
        UserKeys user = keys.user(userId);
        List<?> reply = (List<?>) redis.eval("revoke all sessions", LuaScript.SESSION_REVOKE_ALL,
                List.of(user.activeSessions(), user.revokedSessions()),
                List.of(user.sessionPrefix(), RedisReplies.millis(now), reason, RedisReplies.millis(at),
                        RedisReplies.millis(purgeAt), RedisReplies.ttlMillis(purgeAt, now)));
        return reply.stream()
                .map(entry -> (List<?>) entry)
                .map(entry -> new Revocation(sessionOf(RedisReplies.fromFlat(entry.get(1))), Long.valueOf(1).equals(entry.get(0))))
                .sorted((a, b) -> DeviceSession.NEWEST_FIRST.compare(a.session(), b.session()))
                .toList();
    }

    @Override
    public void ping() {
        redis.run("ping", client -> client.ping());
    }

    private boolean isPurged(Map<String, String> fields) {
        return RedisReplies.optionalInstant(fields, "purge_at").filter(purgeAt -> !clock.instant().isBefore(purgeAt)).isPresent();
    }

    private static Map<String, String> fieldsOf(DeviceSession session) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("device_session_id", session.id());
        fields.put("user_id", session.userId());
        fields.put("status", session.status().wireName());
        fields.put("created_at", RedisReplies.millis(session.createdAt()));
        fields.put("revision", Long.toString(session.revision()));
        session.revokedAt().ifPresent(at -> fields.put("revoked_at", RedisReplies.millis(at)));
        session.revokeReason().ifPresent(reason -> fields.put("revoke_reason", reason));
        session.deviceName().ifPresent(name -> fields.put("device_name", name));
        session.clientPublicKey().ifPresent(key -> fields.put("client_public_key", key));
        return fields;
    }

    private static DeviceSession sessionOf(Map<String, String> fields) {
        return new DeviceSession(
                RedisReplies.required(fields, "device_session_id"),
                RedisReplies.required(fields, "user_id"),
                SessionStatus.fromWireName(RedisReplies.required(fields, "status")),
                RedisReplies.instant(RedisReplies.required(fields, "created_at")),
                Long.parseLong(RedisReplies.required(fields, "revision")),
                RedisReplies.optionalInstant(fields, "revoked_at"),
                Optional.ofNullable(fields.get("revoke_reason")),
                Optional.ofNullable(fields.get("device_name")),
                Optional.ofNullable(fields.get("client_public_key")));
    }
}
