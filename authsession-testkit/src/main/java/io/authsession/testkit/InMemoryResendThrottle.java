package io.authsession.testkit;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.ThrottlePermit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link ResendThrottle} in memory; windows end by the injected clock. */
public final class InMemoryResendThrottle implements ResendThrottle {
    private final Clock clock;
    private final ConcurrentHashMap<EmailAddress, Window> windows = new ConcurrentHashMap<>();
    private final Faults faults = new Faults("resend_throttle");

    public InMemoryResendThrottle(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The next {@code calls} operations fail as if Redis were down. */
    public void failNextCalls(int calls) {
        faults.failNext(calls);
    }

    @Override
    public Optional<ThrottlePermit> tryAcquire(EmailAddress email, Duration window) {
        faults.check();
        AtomicReference<ThrottlePermit> acquired = new AtomicReference<>();
        Instant now = clock.instant();
        windows.compute(email, (address, open) -> {
            if (open != null && now.isBefore(open.until)) {
                return open;
            }
            ThrottlePermit permit = new ThrottlePermit(email, UUID.randomUUID().toString());
            acquired.set(permit);
            return new Window(permit.token(), now.plus(window));
        });
        return Optional.ofNullable(acquired.get());
    }

    @Override
    public void release(ThrottlePermit permit) {
        faults.check();
        windows.computeIfPresent(permit.email(), (address, open) -> open.token.equals(permit.token()) ? null : open);
    }

    @Override
    public void ping() {
        faults.check();
    }

    private record Window(String token, Instant until) {}
}
