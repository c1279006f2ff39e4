package io.authsession.core.port;

import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.Challenge;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ChallengeStore#check} found, in the order of the confirm table (CONTRACT §2.2).
 *
 * @param kind the outcome
 * @param challenge the challenge as stored, for {@link Kind#MATCHED}
 * @param lockedNow for {@link Kind#INVALID_CODE}: the address this wrong code locked, when it spent the address's last
 *     guess (reported once per lock)
 */
public record CodeCheck(Kind kind, Optional<Challenge> challenge, Optional<AddressKey> lockedNow) {
    public CodeCheck {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(lockedNow, "lockedNow");
        if ((kind == Kind.MATCHED) != challenge.isPresent()) {
            throw new IllegalArgumentException("a matched check, and only a matched check, carries the challenge");
        }
        if (lockedNow.isPresent() && kind != Kind.INVALID_CODE) {
            throw new IllegalArgumentException("only a counted wrong code can lock an address");
        }
    }

    /** The code matches the stored hash; nothing was counted. */
    public static CodeCheck matched(Challenge challenge) {
        return new CodeCheck(Kind.MATCHED, Optional.of(challenge), Optional.empty());
    }

    /** The code does not match; the attempt was counted against the challenge and the address. */
    public static CodeCheck invalidCode() {
        return new CodeCheck(Kind.INVALID_CODE, Optional.empty(), Optional.empty());
    }

    /** The code does not match, and counting it locked {@code address}. */
    public static CodeCheck invalidCodeLocking(AddressKey address) {
        return new CodeCheck(Kind.INVALID_CODE, Optional.empty(), Optional.of(address));
    }

    /** Nothing was compared or counted, for the given reason. */
    public static CodeCheck refused(Kind kind) {
        return new CodeCheck(kind, Optional.empty(), Optional.empty());
    }

    /** The outcomes, in the order the contract checks them. */
    public enum Kind {
        /** There is no such challenge (never was, or purged). */
        NOT_FOUND,
        /** The pending challenge is past its expiry. */
        EXPIRED,
        /** The challenge has its maximum of failed attempts. */
        TOO_MANY_ATTEMPTS,
        /** The challenge's address has spent its failed-guess budget. */
        ADDRESS_LOCKED,
        /** The code does not match: counted. */
        INVALID_CODE,
        /** The code matches. */
        MATCHED
    }
}
