package io.authsession.core;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.Revocation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** CONTRACT §3: list, get, revoke, revoke all and block, for trusted internal callers. */
final class SessionAdministration {
    static final String USER_BLOCKED = "user_blocked";

    private final Wiring w;

    SessionAdministration(Wiring wiring) {
        this.w = wiring;
    }

    List<DeviceSession> list(String userId, Optional<SessionStatus> status) {
        return w.sessions().listByUser(userId, status);
    }

    Optional<DeviceSession> find(String deviceSessionId) {
        return w.sessions().find(deviceSessionId);
    }

    DeviceSession revoke(String deviceSessionId, String reason) {
        Instant now = w.now();
        Revocation revocation = w.sessions()
                .revoke(deviceSessionId, reason, now, now.plus(w.revokedSessionRetention()))
                .orElseThrow(() -> new AuthSessionException(ErrorCode.SESSION_NOT_FOUND, "no such device session"));
        w.telemetry().revoked(reason, revocation.changed() ? 1 : 0);
        // Re-published even when nothing changed: a retried revoke repairs a projection that failed.
        w.projector().publish(List.of(revocation.session()));
        return revocation.session();
    }

    int revokeAll(String userId, String reason) {
        Instant now = w.now();
        List<Revocation> revocations = w.sessions()
                .revokeAllActive(userId, reason, now, now.plus(w.revokedSessionRetention()));
        int revoked = (int) revocations.stream().filter(Revocation::changed).count();
        w.telemetry().revoked(reason, revoked);
        // Every revoked session of the user is re-published, not only those revoked now, so that a retry after a
        // failed projection repairs it. Stale revisions change nothing in the projection.
        w.projector().publish(revocations.stream().map(Revocation::session).toList());
        return revoked;
    }

    int block(String userId, String reason) {
        w.users().block(userId, reason);
        return revokeAll(userId, USER_BLOCKED);
    }
}
