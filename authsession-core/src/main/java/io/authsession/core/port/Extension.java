package io.authsession.core.port;

import io.authsession.core.domain.DeviceSession;
import java.util.Objects;

/**
 * What {@link SessionStore#extend} did.
 *
 * @param kind the outcome
 * @param session the session as stored after the call, seen by the store's clock
 */
public record Extension(Kind kind, DeviceSession session) {
    public Extension {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(session, "session");
    }

    /** The outcomes. */
    public enum Kind {
        /** The expiry moved: one revision later, to publish. */
        EXTENDED,
        /** The move would be under the minimum (or the idle timeout is off): nothing was written. */
        UNCHANGED,
        /** The session is revoked or expired: nothing was written. */
        INACTIVE
    }
}
