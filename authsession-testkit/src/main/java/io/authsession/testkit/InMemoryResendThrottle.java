package io.authsession.testkit;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
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
    private final ConcurrentHashMap<AddressKey, Window> windows = new ConcurrentHashMap<>();
    private final AddressBudgets budgets;
    private final Faults faults = new Faults("resend_throttle");

    /** A throttle that sees no failed-guess budget: no address ever counts as locked. */
    public InMemoryResendThrottle(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.budgets = new AddressBudgets();
    }

    /** A throttle that refuses addresses locked by the failed-guess budgets {@code challenges} counts. */
    public InMemoryResendThrottle(Clock clock, InMemoryChallengeStore challenges) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.budgets = Objects.requireNonNull(challenges, "challenges").budgets();
    }

    /** The next {@code calls} operations fail as if Redis were down. */
    public void failNextCalls(int calls) {
        faults.failNext(calls);
    }

    @Override
    public Optional<ThrottlePermit> tryAcquire(AddressKey address, Duration window, AddressBudget budget) {
        faults.check();
        Instant now = clock.instant();
        if (budgets.locked(address, budget, now)) {
            return Optional.empty();
        }
        if (window.isZero()) {
            return Optional.of(new ThrottlePermit(address, NO_WINDOW));
        }
        AtomicReference<ThrottlePermit> acquired = new AtomicReference<>();
        windows.compute(address, (key, open) -> {
            if (open != null && now.isBefore(open.until)) {
                return open;
            }
            ThrottlePermit permit = new ThrottlePermit(address, UUID.randomUUID().toString());
            acquired.set(permit);
            return new Window(permit.token(), now.plus(window));
        });
        return Optional.ofNullable(acquired.get());
    }

    @Override
    public void release(ThrottlePermit permit) {
        faults.check();
        windows.computeIfPresent(permit.address(), (address, open) -> open.token.equals(permit.token()) ? null : open);
    }

    @Override
    public void ping() {
        faults.check();
    }

    private static final String NO_WINDOW = "no-window";

    private record Window(String token, Instant until) {}
}
