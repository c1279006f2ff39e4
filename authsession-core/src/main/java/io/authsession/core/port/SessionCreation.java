package io.authsession.core.port;

import io.authsession.core.domain.DeviceSession;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SessionStore#create} did.
 *
 * @param session the stored session: the new one, or the one that already had the id
 * @param created whether this call stored it
 * @param revokedByLimit the sessions this call revoked to respect the session limit, oldest first
 */
public record SessionCreation(DeviceSession session, boolean created, List<DeviceSession> revokedByLimit) {
    public SessionCreation {
        Objects.requireNonNull(session, "session");
        revokedByLimit = List.copyOf(revokedByLimit);
    }
}
