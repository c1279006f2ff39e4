package io.authsession.core.port;

import io.authsession.core.domain.EmailAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * One fixed resend window per address. The store decides whether a window is open against its clock.
 */
public interface ResendThrottle {

    /**
     * Atomically opens a window of {@code window} for the address, unless one is open. Empty when a window is
     * open; an attempt inside an open window never extends it.
     */
    Optional<ThrottlePermit> tryAcquire(EmailAddress email, Duration window);

    /** Closes the window the permit opened, unless it has since been replaced by another holder's window. */
    void release(ThrottlePermit permit);

    /** Checks that the medium answers; throws when it does not. */
    void ping();
}
