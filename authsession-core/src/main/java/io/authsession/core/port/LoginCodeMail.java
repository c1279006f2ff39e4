package io.authsession.core.port;

import io.authsession.core.domain.EmailAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * A login code mail. Its {@link #toString()} leaves the code out so that it cannot reach a log by accident.
 *
 * @param email the normalised recipient
 * @param code the six-digit code
 * @param challengeId the challenge, also the idempotency key of the mail
 * @param expiresAt when the code stops being accepted
 */
public record LoginCodeMail(EmailAddress email, String code, String challengeId, Instant expiresAt) {
    public LoginCodeMail {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(challengeId, "challengeId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "LoginCodeMail[challengeId=" + challengeId + ", expiresAt=" + expiresAt + "]";
    }
}
