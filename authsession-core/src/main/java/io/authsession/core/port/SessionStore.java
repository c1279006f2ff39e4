package io.authsession.core.port;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.SessionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps device sessions and the per-user index that lists them.
 *
 * <p>A store mints the ids of the sessions it keeps ({@link #newSessionId}), so that it may shape them for its own
 * layout; a caller never makes one up. A revoked session disappears (record and index entry alike) once the store's
 * clock reaches the {@code purgeAt} given when it was revoked. Every failure of the medium is a
 * {@link io.authsession.core.error.DependencyUnavailableException}.
 */
public interface SessionStore {

    /**
     * A new id for a session of {@code userId}: opaque, URL-safe, at least 128 bits from a secure random source, never
     * the same twice. Reserves nothing; {@link #create} stores the session under it.
     */
    String newSessionId(String userId);

    /**
     * Stores the session (its id from {@link #newSessionId}) unless one with its id exists, and then, when
     * {@code maxActiveSessions} is above zero, revokes the user's oldest other active sessions (reason
     * {@code session_limit}, at the new session's creation time, disappearing at {@code revokedPurgeAt}) so that at
     * most {@code maxActiveSessions} stay active. All of it is one atomic step for the user. When the session exists
     * already, nothing changes and the user's revoked sessions are returned for the caller to publish again.
     */
    SessionCreation create(DeviceSession session, int maxActiveSessions, Instant revokedPurgeAt);

    /** The session, unless it never existed or its retention has ended. */
    Optional<DeviceSession> find(String deviceSessionId);

    /** The user's sessions, newest first, optionally only those with {@code status}. */
    List<DeviceSession> listByUser(String userId, Optional<SessionStatus> status);

    /**
     * Atomically revokes an active session (one revision later) and keeps it until {@code purgeAt}. A revoked
     * session is returned unchanged. Empty when there is no such session.
     */
    Optional<Revocation> revoke(String deviceSessionId, String reason, Instant at, Instant purgeAt);

    /**
     * Revokes every active session of the user, each atomically as {@link #revoke} does. Returns every revoked
     * session of the user after the call, those this call revoked marked as changed.
     */
    List<Revocation> revokeAllActive(String userId, String reason, Instant at, Instant purgeAt);

    /** Checks that the medium answers; throws when it does not. */
    void ping();
}
