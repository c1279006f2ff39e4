package io.authsession.core.domain;

import java.util.Locale;

/** Whether a device session may still authenticate. */
public enum SessionStatus {
    ACTIVE,
    REVOKED;

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
