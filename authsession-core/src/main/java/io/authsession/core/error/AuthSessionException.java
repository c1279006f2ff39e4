package io.authsession.core.error;

import java.util.Objects;

/**
 * An expected failure of a use case, carrying the contract's error code.
 *
 * <p>The message is meant for humans and never contains a login code or a secret.
 */
public class AuthSessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public AuthSessionException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public AuthSessionException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The contract error code. */
    public ErrorCode code() {
        return code;
    }

    /** A {@link ErrorCode#INVALID_REQUEST} failure naming the field and the broken rule. */
    public static AuthSessionException invalidRequest(String field, String rule) {
        return new AuthSessionException(ErrorCode.INVALID_REQUEST, field + ": " + rule);
    }
}
