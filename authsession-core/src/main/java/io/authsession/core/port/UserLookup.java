package io.authsession.core.port;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link UserDirectory#resolveByEmail}.
 *
 * @param status what the user service knows of the address
 * @param userId the user, for {@link Status#EXISTING} and {@link Status#BLOCKED}
 */
public record UserLookup(Status status, Optional<String> userId) {

    public UserLookup {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(userId, "userId");
        if ((status != Status.CREATABLE) != userId.isPresent()) {
            throw new IllegalArgumentException("existing and blocked lookups carry a user id, creatable ones do not");
        }
    }

    public static UserLookup existing(String userId) {
        return new UserLookup(Status.EXISTING, Optional.of(userId));
    }

    public static UserLookup creatable() {
        return new UserLookup(Status.CREATABLE, Optional.empty());
    }

    public static UserLookup blocked(String userId) {
        return new UserLookup(Status.BLOCKED, Optional.of(userId));
    }

    /** What the user service knows of an address. */
    public enum Status {
        EXISTING,
        CREATABLE,
        BLOCKED
    }
}
