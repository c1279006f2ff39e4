package io.authsession.core.port;

import io.authsession.core.domain.DeviceSession;
import java.util.Objects;

/**
 * What {@link SessionStore#revoke} did.
 *
 * @param session the session as stored after the call
 * @param changed whether this call revoked it (false when it was already revoked)
 */
public record Revocation(DeviceSession session, boolean changed) {
    public Revocation {
        Objects.requireNonNull(session, "session");
    }
}
