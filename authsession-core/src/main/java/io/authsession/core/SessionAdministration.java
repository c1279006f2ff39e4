package io.authsession.core;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.Revocation;
import io.authsession.core.port.SessionStore;
import io.authsession.core.port.UserDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** CONTRACT §3: list, get, revoke, revoke all and block, for trusted internal callers. */
final class SessionAdministration {
    private final ServiceClock clock;
    private final SessionStore sessions;
    private final UserDirectory users;
    private final Projector projector;
    private final Telemetry telemetry;
    private final Duration revokedSessionRetention;

    SessionAdministration(ServiceClock clock, SessionStore sessions, UserDirectory users, Projector projector,
            Telemetry telemetry, Duration revokedSessionRetention) {
        this.clock = clock;
        this.sessions = sessions;
        this.users = users;
        this.projector = projector;
        this.telemetry = telemetry;
        this.revokedSessionRetention = revokedSessionRetention;
    }

    List<DeviceSession> list(String userId, Optional<SessionStatus> status) {
        return sessions.listByUser(userId, status);
    }

    Optional<DeviceSession> find(String deviceSessionId) {
        return sessions.find(deviceSessionId);
    }

    DeviceSession revoke(String deviceSessionId, String reason) {
        Instant now = clock.now();
        Revocation revocation = sessions
                .revoke(deviceSessionId, reason, now, now.plus(revokedSessionRetention))
                .orElseThrow(() -> new AuthSessionException(ErrorCode.SESSION_NOT_FOUND, "no such device session"));
        telemetry.revoked(reason, revocation.changed() ? 1 : 0);
        // Re-published even when nothing changed: a retried revoke repairs a projection that failed.
        projector.publish(List.of(revocation.session()));
        return revocation.session();
    }

    int revokeAll(String userId, String reason) {
        Instant now = clock.now();
        List<Revocation> revocations = sessions.revokeAllActive(userId, reason, now, now.plus(revokedSessionRetention));
        int revoked = (int) revocations.stream().filter(Revocation::changed).count();
        telemetry.revoked(reason, revoked);
        // Every revoked session of the user is re-published, not only those revoked now, so that a retry after a
        // failed projection repairs it. Stale revisions change nothing in the projection.
        projector.publish(revocations.stream().map(Revocation::session).toList());
        return revoked;
    }

    int block(String userId, String reason) {
        users.block(userId, reason);
        return revokeAll(userId, RevokeReasons.USER_BLOCKED);
    }
}
