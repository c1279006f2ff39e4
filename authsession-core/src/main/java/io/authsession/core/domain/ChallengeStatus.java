package io.authsession.core.domain;

import java.util.Locale;

/** Where a login challenge is in its life. */
public enum ChallengeStatus {
    /** Waiting for the right code. */
    PENDING_CONFIRMATION,
    /** Confirmed; kept for the idempotency window so that a retried confirm gets the same session. */
    CONFIRMED_PENDING_EXPIRE;

    /** The stored name, for example {@code pending_confirmation}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status with this stored name. */
    public static ChallengeStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
