package io.authsession.core.port;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import java.time.Duration;
import java.util.Optional;

/**
 * One fixed resend window per address, named by the address's keyed hash. The store decides whether a window is
 * open against its clock.
 */
public interface ResendThrottle {

    /**
     * Atomically opens a window of {@code window} for the address, unless one is open or the address has spent its
     * failed-guess {@code budget} (CONTRACT §2.3: a locked address sends as throttled). Empty when refused; an
     * attempt inside an open window never extends it. A zero {@code window} takes no window and only checks the
     * budget (its permit's release does nothing). The budget is counted by the {@link ChallengeStore} of the same
     * medium.
     */
    Optional<ThrottlePermit> tryAcquire(AddressKey address, Duration window, AddressBudget budget);

    /** Closes the window the permit opened, unless it has since been replaced by another holder's window. */
    void release(ThrottlePermit permit);

    /** Checks that the medium answers; throws when it does not. */
    void ping();
}
