package io.authsession.core.error;

import java.util.Locale;

/**
 * The error codes of the product contract that the core can produce; the HTTP layer maps them to statuses.
 */
public enum ErrorCode {
    /** A request field breaks a validation rule. */
    INVALID_REQUEST,
    /** The login code does not match; the attempt was counted. */
    INVALID_CODE,
    /** The user is blocked; no session was created. */
    USER_BLOCKED,
    /** The challenge record does not exist (never did, or was removed). */
    CHALLENGE_NOT_FOUND,
    /** The device session does not exist (never did, or its retention ended). */
    SESSION_NOT_FOUND,
    /** The user service does not know the user. */
    USER_NOT_FOUND,
    /** The challenge exists but its code lifetime has ended. */
    CHALLENGE_EXPIRED,
    /** The challenge has used up its failed attempts, or its address its failed-guess budget. */
    TOO_MANY_ATTEMPTS,
    /** The device session is revoked or expired: it cannot be extended. */
    SESSION_INACTIVE,
    /** A dependency (Redis, user service, mail service, projection) failed. */
    SERVICE_UNAVAILABLE;

    /** The code as written on the wire, for example {@code invalid_request}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
