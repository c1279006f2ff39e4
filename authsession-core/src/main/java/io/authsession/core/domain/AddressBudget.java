package io.authsession.core.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * The failed-guess budget of an address (CONTRACT §2.3): at most {@code maxFailedAttempts} counted wrong codes across
 * all its challenges in a fixed window of {@code window} that opens with the first of them.
 *
 * @param maxFailedAttempts the budget; zero turns it off
 * @param window how long a window lasts
 */
public record AddressBudget(int maxFailedAttempts, Duration window) {
    public AddressBudget {
        Objects.requireNonNull(window, "window");
        if (maxFailedAttempts < 0) {
            throw new IllegalArgumentException("the address budget must not be negative");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the address budget window must be positive");
        }
    }

    /** No budget: nothing is counted against addresses and no address locks. */
    public static final AddressBudget OFF = new AddressBudget(0, Duration.ofHours(1));

    /** The budget of the runtime settings in force. */
    public static AddressBudget of(RuntimeSettings settings) {
        return new AddressBudget(settings.addressMaxFailedAttempts(), settings.addressFailedAttemptsWindow());
    }

    /** Whether the budget is off. */
    public boolean isOff() {
        return maxFailedAttempts == 0;
    }
}
