package io.authsession.redis;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.port.Extension;
import io.authsession.core.port.Revocation;
import io.authsession.core.port.SessionCreation;
import io.authsession.core.port.SessionListing;
import io.authsession.core.port.SessionStore;
import io.authsession.core.port.UserRevocation;
import io.authsession.redis.RedisKeys.UserKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions as Redis hashes with two per-user indexes, both scored by purge time: the sessions that are not revoked
 * (active, or expired by their {@code expires_at}) and the revoked ones. Every change of a user's sessions is one
 * script in the user's hash slot; whether a session is expired is decided here, by the service clock.
 */
final class RedisSessionStore implements SessionStore {
    /** The index score of a session without a lifetime: it is never purged. */
    private static final String NEVER = "+inf";

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
    public SessionCreation create(DeviceSession session, int maxActiveSessions, Duration retention) {
        if (!SessionIds.belongsTo(session.id(), session.userId())) {
            throw new IllegalArgumentException("session ids must come from newSessionId for their user");
        }
        Instant now = clock.instant();
        UserKeys user = keys.user(session.userId());
        Optional<Instant> purgeAt = session.expiresAt().map(at -> at.plus(retention));
        Map<String, String> fields = fieldsOf(session);
        purgeAt.ifPresent(at -> fields.put("purge_at", RedisReplies.millis(at)));
        List<String> args = new ArrayList<>(List.of(user.sessionPrefix(), RedisReplies.millis(now),
                Integer.toString(maxActiveSessions), Long.toString(retention.toMillis()), session.id(),
                RedisReplies.millis(session.createdAt()), RevokeReasons.SESSION_LIMIT,
                purgeAt.map(RedisReplies::millis).orElse(NEVER)));
        args.addAll(RedisReplies.flat(fields));
        List<?> reply = (List<?>) redis.evalDurable("create session", LuaScript.SESSION_CREATE,
                List.of(keys.session(session.id()), user.activeSessions(), user.revokedSessions()), args);
        boolean created = Long.valueOf(1).equals(reply.get(0));
        List<DeviceSession> revoked = sessionsOf(reply.get(2), now);
        int lost = ((Long) reply.get(3)).intValue();
        DeviceSession stored = created ? session : sessionOf(RedisReplies.fromFlat(reply.get(1))).seenAt(now);
        return new SessionCreation(stored, created, revoked, lost);
    }

    @Override
    public Optional<DeviceSession> find(String deviceSessionId) {
        Map<String, String> fields = redis.run("find session", client -> client.hgetAll(keys.session(deviceSessionId)));
        Instant now = clock.instant();
        if (fields.isEmpty() || isPurged(fields, now)) {
            return Optional.empty();
        }
        return Optional.of(sessionOf(fields).seenAt(now));
    }

    @Override
    public SessionListing listByUser(String userId, Optional<SessionStatus> status) {
        String which = status.map(SessionStatus::wireName).orElse("all");
        UserKeys user = keys.user(userId);
        Instant now = clock.instant();
        List<?> reply = (List<?>) redis.eval("list sessions", LuaScript.SESSION_LIST,
                List.of(user.activeSessions(), user.revokedSessions()),
                List.of(user.sessionPrefix(), RedisReplies.millis(now), which));
        // The script dropped purged sessions (their index score is their purge time); active or expired is decided
        // here, by the service clock.
        List<DeviceSession> sessions = sessionsOf(reply.get(1), now).stream()
                .filter(session -> status.isEmpty() || session.status() == status.get())
                .sorted(DeviceSession.NEWEST_FIRST)
                .toList();
        return new SessionListing(sessions, ((Long) reply.get(0)).intValue());
    }

    @Override
    public Optional<Revocation> revoke(String deviceSessionId, String reason, Instant at, Duration retention) {
        Instant now = clock.instant();
        Object reply = redis.evalDurable("revoke session", LuaScript.SESSION_REVOKE,
                List.of(keys.session(deviceSessionId)),
                List.of(keys.taggedPrefixOfSession(deviceSessionId), RedisReplies.millis(now), reason,
                        RedisReplies.millis(at), Long.toString(retention.toMillis())));
        if (reply == null) {
            return Optional.empty();
        }
        List<?> result = (List<?>) reply;
        return Optional.of(new Revocation(sessionOf(RedisReplies.fromFlat(result.get(1))).seenAt(now),
                Long.valueOf(1).equals(result.get(0))));
    }

    @Override
    public UserRevocation revokeAllActive(String userId, String reason, Instant at, Duration retention) {
        Instant now = clock.instant();
        UserKeys user = keys.user(userId);
        List<?> reply = (List<?>) redis.evalDurable("revoke all sessions", LuaScript.SESSION_REVOKE_ALL,
                List.of(user.activeSessions(), user.revokedSessions()),
                List.of(user.sessionPrefix(), RedisReplies.millis(now), reason, RedisReplies.millis(at),
                        Long.toString(retention.toMillis())));
        return userRevocationOf(reply);
    }

    /**
     * {@link #revokeAllActive} for many users in one round trip, the same script for each (the operator's mass
     * logout): the results in the order of {@code userIds}.
     */
    List<UserRevocation> revokeAllActive(List<String> userIds, String reason, Instant at, Duration retention) {
        Instant now = clock.instant();
        List<List<String>> keyLists = new ArrayList<>(userIds.size());
        List<List<String>> argLists = new ArrayList<>(userIds.size());
        for (String userId : userIds) {
            UserKeys user = keys.user(userId);
            keyLists.add(List.of(user.activeSessions(), user.revokedSessions()));
            argLists.add(List.of(user.sessionPrefix(), RedisReplies.millis(now), reason, RedisReplies.millis(at),
                    Long.toString(retention.toMillis())));
        }
        return redis.evalPipelined("revoke all sessions", LuaScript.SESSION_REVOKE_ALL, keyLists, argLists).stream()
                .map(RedisSessionStore::userRevocationOf)
                .toList();
    }

    private static UserRevocation userRevocationOf(Object scriptReply) {
        List<?> reply = (List<?>) scriptReply;
        List<Revocation> revocations = ((List<?>) reply.get(1)).stream()
                .map(entry -> (List<?>) entry)
                .map(entry -> new Revocation(sessionOf(RedisReplies.fromFlat(entry.get(1))),
                        Long.valueOf(1).equals(entry.get(0))))
                .sorted((a, b) -> DeviceSession.NEWEST_FIRST.compare(a.session(), b.session()))
                .toList();
        return new UserRevocation(revocations, ((Long) reply.get(0)).intValue());
    }

    @Override
    public Optional<Extension> extend(String deviceSessionId, Instant now, Duration idleTimeout, Duration minimumMove,
            Duration retention) {
        Object reply = redis.eval("extend session", LuaScript.SESSION_EXTEND, List.of(keys.session(deviceSessionId)),
                List.of(keys.taggedPrefixOfSession(deviceSessionId), RedisReplies.millis(now),
                        Long.toString(idleTimeout.toMillis()), Long.toString(minimumMove.toMillis()),
                        Long.toString(retention.toMillis())));
        if (reply == null) {
            return Optional.empty();
        }
        List<?> result = (List<?>) reply;
        DeviceSession session = sessionOf(RedisReplies.fromFlat(result.get(1))).seenAt(now);
        Extension.Kind kind = switch ((String) result.get(0)) {
            case "extended" -> Extension.Kind.EXTENDED;
            case "unchanged" -> Extension.Kind.UNCHANGED;
            default -> Extension.Kind.INACTIVE;
        };
        return Optional.of(new Extension(kind, session));
    }

    @Override
    public void ping() {
        redis.ping();
    }

    private static List<DeviceSession> sessionsOf(Object flatReplies, Instant now) {
        return ((List<?>) flatReplies).stream()
                .map(RedisReplies::fromFlat)
                .map(fields -> sessionOf(fields).seenAt(now))
                .toList();
    }

    private static boolean isPurged(Map<String, String> fields, Instant now) {
        return RedisReplies.optionalInstant(fields, "purge_at").filter(purgeAt -> !now.isBefore(purgeAt)).isPresent();
    }

    private static Map<String, String> fieldsOf(DeviceSession session) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("device_session_id", session.id());
        fields.put("user_id", session.userId());
        fields.put("status", session.status().wireName());
        fields.put("created_at", RedisReplies.millis(session.createdAt()));
        session.expiresAt().ifPresent(at -> fields.put("expires_at", RedisReplies.millis(at)));
        session.lifetimeCap().ifPresent(at -> fields.put("cap_at", RedisReplies.millis(at)));
        fields.put("revision", Long.toString(session.revision()));
        session.revokedAt().ifPresent(at -> fields.put("revoked_at", RedisReplies.millis(at)));
        session.revokeReason().ifPresent(reason -> fields.put("revoke_reason", reason));
        session.deviceName().ifPresent(name -> fields.put("device_name", name));
        session.clientPublicKey().ifPresent(key -> fields.put("client_public_key", key));
        return fields;
    }

    /** The session as stored: {@code active} or {@code revoked}; a reader applies {@link DeviceSession#seenAt}. */
    static DeviceSession sessionOf(Map<String, String> fields) {
        return new DeviceSession(
                RedisReplies.required(fields, "device_session_id"),
                RedisReplies.required(fields, "user_id"),
                SessionStatus.fromWireName(RedisReplies.required(fields, "status")),
                RedisReplies.instant(RedisReplies.required(fields, "created_at")),
                RedisReplies.optionalInstant(fields, "expires_at"),
                RedisReplies.optionalInstant(fields, "cap_at"),
                Long.parseLong(RedisReplies.required(fields, "revision")),
                RedisReplies.optionalInstant(fields, "revoked_at"),
                Optional.ofNullable(fields.get("revoke_reason")),
                Optional.ofNullable(fields.get("device_name")),
                Optional.ofNullable(fields.get("client_public_key")));
    }
}
