package io.authsession.core.port;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.SessionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps device sessions and the per-user index that lists them.
 *
 * <p>A store mints the ids of the sessions it keeps ({@link #newSessionId}), so that it may shape them for its own
 * layout; a caller never makes one up. A store decides against its clock: a session past its {@code expiresAt} is
 * read as {@code expired}; an expired session disappears (record and index entry alike) {@code retention} after its
 * {@code expiresAt}, a revoked one {@code retention} after its revocation. Every failure of the medium is a
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
     * {@code session_limit}, at the new session's creation time) so that at most {@code maxActiveSessions} stay
     * active. All of it is one atomic step for the user. When the session exists already, nothing changes and the
     * user's other revoked sessions are returned for the caller to publish again.
     *
     * @param retention how long an expired or revoked session stays readable
     */
    SessionCreation create(DeviceSession session, int maxActiveSessions, Duration retention);

    /** The session as seen now (an active one past its expiry is {@code expired}), unless its retention has ended. */
    Optional<DeviceSession> find(String deviceSessionId);

    /** The user's sessions, newest first, optionally only those with {@code status} (as seen now). */
    SessionListing listByUser(String userId, Optional<SessionStatus> status);

    /**
     * Atomically revokes a session that is active at {@code at} (one revision later) and keeps it {@code retention}
     * after {@code at}. A revoked or expired session is returned unchanged. Empty when there is no such session.
     */
    Optional<Revocation> revoke(String deviceSessionId, String reason, Instant at, Duration retention);

    /**
     * Revokes every session of the user that is active at {@code at}, each atomically as {@link #revoke} does.
     * Returns every revoked session of the user after the call, those this call revoked marked as changed.
     */
    UserRevocation revokeAllActive(String userId, String reason, Instant at, Duration retention);

    /**
     * Atomically extends a session that is active at {@code now}: its expiry moves to
     * {@code min(now + idleTimeout, lifetime cap)} and its revision by one, unless that would move the expiry
     * forward by less than {@code minimumMove} (or the idle timeout is zero), in which case nothing is written. The
     * record then stays {@code retention} after its new expiry. Empty when there is no such session.
     */
    Optional<Extension> extend(String deviceSessionId, Instant now, Duration idleTimeout, Duration minimumMove,
            Duration retention);

    /** Checks that the medium answers; throws when it does not. */
    void ping();
}
