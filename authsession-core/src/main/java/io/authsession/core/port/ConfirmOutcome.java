package io.authsession.core.port;

import io.authsession.core.domain.Challenge;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ChallengeStore#confirm} did.
 *
 * @param kind the outcome
 * @param confirmation the confirmation now stored, for {@link Kind#CONFIRMED} and {@link Kind#ALREADY_CONFIRMED}
 */
public record ConfirmOutcome(Kind kind, Optional<Challenge.Confirmation> confirmation) {

    public ConfirmOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(confirmation, "confirmation");
        boolean confirmed = kind == Kind.CONFIRMED || kind == Kind.ALREADY_CONFIRMED;
        if (confirmed != confirmation.isPresent()) {
            throw new IllegalArgumentException("a confirmation comes with exactly the confirmed outcomes");
        }
    }

    /** This call confirmed the challenge with the given confirmation. */
    public static ConfirmOutcome confirmed(Challenge.Confirmation confirmation) {
        return new ConfirmOutcome(Kind.CONFIRMED, Optional.of(confirmation));
    }

    /** Another call confirmed the challenge first; its confirmation is kept. */
    public static ConfirmOutcome alreadyConfirmed(Challenge.Confirmation confirmation) {
        return new ConfirmOutcome(Kind.ALREADY_CONFIRMED, Optional.of(confirmation));
    }

    /** Nothing changed, for the given reason. */
    public static ConfirmOutcome refused(Kind kind) {
        return new ConfirmOutcome(kind, Optional.empty());
    }

    /** The kinds of outcome. */
    public enum Kind {
        CONFIRMED,
        ALREADY_CONFIRMED,
        EXPIRED,
        TOO_MANY_ATTEMPTS,
        ADDRESS_LOCKED,
        NOT_FOUND
    }
}
