package io.authsession.core.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an address stands against its failed-guess budget.
 *
 * @param failedAttempts counted wrong codes in the open window (zero when no window is open)
 * @param windowEndsAt when the open window closes, if one is open
 * @param locked whether the count is at the budget within the open window
 */
public record AddressState(int failedAttempts, Optional<Instant> windowEndsAt, boolean locked) {
    public AddressState {
        Objects.requireNonNull(windowEndsAt, "windowEndsAt");
    }

    /** No window open. */
    public static final AddressState CLEAR = new AddressState(0, Optional.empty(), false);
}
