package io.authsession.core.port;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.wire.DeviceSessionJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway projection publishes for one revision of a session: the session, its JSON, and when the
 * snapshot key should disappear (revoked sessions only; active ones never expire).
 */
public record SessionSnapshot(DeviceSession session, String json, Optional<Instant> expiresAt) {

    public SessionSnapshot {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The snapshot of a session; a revoked one expires {@code revokedRetention} after its revocation. */
    public static SessionSnapshot of(DeviceSession session, Duration revokedRetention) {
        Optional<Instant> expiresAt = session.revokedAt().map(at -> at.plus(revokedRetention));
        return new SessionSnapshot(session, DeviceSessionJson.write(session), expiresAt);
    }
}
