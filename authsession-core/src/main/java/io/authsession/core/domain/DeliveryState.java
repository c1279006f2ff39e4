package io.authsession.core.domain;

/** What happened to the login code of a challenge. Only {@link #SENT} challenges have a valid code. */
public enum DeliveryState {
    /** The code was handed to the mail service. */
    SENT("sent"),
    /** The address was inside its resend window: nothing was looked up or mailed. */
    THROTTLED("delivery_throttled"),
    /** The user is blocked: no mail was sent. */
    SUPPRESSED("delivery_suppressed"),
    /** The user lookup or the mail failed; the code was discarded. */
    FAILED("delivery_failed");

    private final String wireName;

    DeliveryState(String wireName) {
        this.wireName = wireName;
    }

    /** The stored name, for example {@code delivery_throttled}. */
    public String wireName() {
        return wireName;
    }

    /** The state with this stored name. */
    public static DeliveryState fromWireName(String name) {
        for (DeliveryState state : values()) {
            if (state.wireName.equals(name)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown delivery state '" + name + "'");
    }
}
