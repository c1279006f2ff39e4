package io.authsession.core;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RevokeReasons;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.ConfigProvider;
import io.authsession.core.port.Extension;
import io.authsession.core.port.Revocation;
import io.authsession.core.port.SessionListing;
import io.authsession.core.port.SessionStore;
import io.authsession.core.port.UserDirectory;
import io.authsession.core.port.UserRevocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** CONTRACT §3: list, get, revoke, revoke all and block, for trusted internal callers. */
final class SessionAdministration {
    /** Extensions that would move an expiry by less than this change nothing (CONTRACT §3.1). */
    static final Duration MINIMUM_EXTENSION = Duration.ofMinutes(1);

    private final ServiceClock clock;
    private final ConfigProvider config;
    private final SessionStore sessions;
    private final UserDirectory users;
    private final Projector projector;
    private final Telemetry telemetry;
    private final Duration revokedSessionRetention;

    SessionAdministration(ServiceClock clock, ConfigProvider config, SessionStore sessions, UserDirectory users,
            Projector projector, Telemetry telemetry, Duration revokedSessionRetention) {
        this.clock = clock;
        this.config = config;
        this.sessions = sessions;
        this.users = users;
        this.projector = projector;
        this.telemetry = telemetry;
        this.revokedSessionRetention = revokedSessionRetention;
    }

    List<DeviceSession> list(String userId, Optional<SessionStatus> status) {
        SessionListing listing = sessions.listByUser(userId, status);
        telemetry.sessionsLost(userId, listing.lostRecords());
        return listing.sessions();
    }

    Optional<DeviceSession> find(String deviceSessionId) {
        return sessions.find(deviceSessionId);
    }

    DeviceSession revoke(String deviceSessionId, String reason) {
        Instant now = clock.now();
        Revocation revocation = sessions.revoke(deviceSessionId, reason, now, revokedSessionRetention)
                .orElseThrow(SessionAdministration::notFound);
        if (revocation.changed()) {
            telemetry.revoked(reason, revocation.session());
        }
        // Re-published even when nothing changed: a retried revoke repairs a projection that failed. An expired
        // session is not: its snapshot expired with it, and the gateway gets no event at expiry (CONTRACT §4).
        if (revocation.session().status() != SessionStatus.EXPIRED) {
            projector.publish(List.of(revocation.session()));
        }
        return revocation.session();
    }

    int revokeAll(String userId, String reason) {
        Instant now = clock.now();
        UserRevocation result = sessions.revokeAllActive(userId, reason, now, revokedSessionRetention);
        telemetry.sessionsLost(userId, result.lostRecords());
        List<Revocation> changed = result.revocations().stream().filter(Revocation::changed).toList();
        changed.forEach(revocation -> telemetry.revoked(reason, revocation.session()));
        // Every revoked session of the user is re-published, not only those revoked now, so that a retry after a
        // failed projection repairs it. Stale revisions change nothing in the projection.
        projector.publish(result.revocations().stream().map(Revocation::session).toList());
        return changed.size();
    }

    int block(String userId, String reason) {
        users.block(userId, reason);
        return revokeAll(userId, RevokeReasons.USER_BLOCKED);
    }

    /**
     * CONTRACT §3.1: moves the expiry of an active session to {@code min(now + idle timeout, lifetime cap)}; a move
     * under {@link #MINIMUM_EXTENSION} writes and publishes nothing, so a gateway may call it on every request.
     */
    DeviceSession extend(String deviceSessionId) {
        Instant now = clock.now();
        Duration idleTimeout = config.current().sessionIdleTimeout();
        Extension extension = sessions.extend(deviceSessionId, now, idleTimeout, MINIMUM_EXTENSION,
                revokedSessionRetention).orElseThrow(SessionAdministration::notFound);
        return switch (extension.kind()) {
            case INACTIVE -> throw new AuthSessionException(ErrorCode.SESSION_INACTIVE,
                    "the device session is " + extension.session().status().wireName() + " and cannot be extended");
            case UNCHANGED -> extension.session();
            case EXTENDED -> {
                projector.publish(List.of(extension.session()));
                yield extension.session();
            }
        };
    }

    private static AuthSessionException notFound() {
        return new AuthSessionException(ErrorCode.SESSION_NOT_FOUND, "no such device session");
    }
}
