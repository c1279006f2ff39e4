package io.authsession.core.domain;

import java.util.Locale;

/** Whether a device session may still authenticate: only an active one may. */
public enum SessionStatus {
    /** May authenticate. */
    ACTIVE,
    /** Ended by a revocation (a logout, a block, the session limit, an operator). */
    REVOKED,
    /** Ended by its lifetime: past its {@code expires_at} by the service clock (CONTRACT §3.1). */
    EXPIRED;

    /** The wire name, for example {@code active}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status with this wire name. */
    public static SessionStatus fromWireName(String name) {
        for (SessionStatus status : values()) {
            if (status.wireName().equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown session status '" + name + "'");
    }
}
