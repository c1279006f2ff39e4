package io.authsession.core.port;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.wire.DeviceSessionJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway projection publishes for one revision of a session: the session, its JSON, and when the
 * snapshot key should disappear: an active session's at its {@code expires_at} (never, without one), so that a
 * gateway ignoring the field still stops accepting it on time; a revoked one's when its retention ends.
 */
public record SessionSnapshot(DeviceSession session, String json, Optional<Instant> expiresAt) {

    public SessionSnapshot {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The snapshot of a session; a revoked one expires {@code revokedRetention} after its revocation. */
    public static SessionSnapshot of(DeviceSession session, Duration revokedRetention) {
        Optional<Instant> keyExpiresAt = session.revokedAt().map(at -> at.plus(revokedRetention))
                .or(session::expiresAt);
        return new SessionSnapshot(session, DeviceSessionJson.write(session), keyExpiresAt);
    }
}
