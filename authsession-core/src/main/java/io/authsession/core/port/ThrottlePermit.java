package io.authsession.core.port;

import io.authsession.core.domain.EmailAddress;
import java.util.Objects;

/**
 * Proof of holding a resend window; only its holder can release it.
 *
 * @param email the address the window is for
 * @param token unique to this window
 */
public record ThrottlePermit(EmailAddress email, String token) {
    public ThrottlePermit {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(token, "token");
    }
}
