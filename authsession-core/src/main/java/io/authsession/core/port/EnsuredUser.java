package io.authsession.core.port;

import java.util.Objects;

/**
 * The answer of {@link UserDirectory#ensureByEmail}.
 *
 * @param userId the existing or newly created user
 * @param blocked whether the user is blocked
 */
public record EnsuredUser(String userId, boolean blocked) {
    public EnsuredUser {
        Objects.requireNonNull(userId, "userId");
    }
}
