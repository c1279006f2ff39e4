package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.ThrottlePermit;
import io.authsession.core.port.TypedCode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ResendThrottle} must have. Subclass it and return a throttle built on the clock, and the
 * challenge store of the same medium whose failed-guess budgets it reads.
 */
public abstract class ResendThrottleContract {
    protected static final Duration WINDOW = Duration.ofMinutes(1);
    private static final AddressBudget NO_BUDGET = AddressBudget.OFF;

    protected MutableClock clock;
    protected ResendThrottle throttle;
    private AddressKey email;

    /** A throttle that decides whether a window is open against {@code clock}. */
    protected abstract ResendThrottle createThrottle(Clock clock);

    /** The challenge store that counts the failed-guess budgets the last created throttle reads. */
    protected abstract ChallengeStore budgetCounter();

    @BeforeEach
    void createThrottleUnderTest() {
        clock = MutableClock.create();
        throttle = createThrottle(clock);
        email = newAddress();
    }

    private static AddressKey newAddress() {
        return ChallengeStoreContract.newAddress();
    }

    private Optional<ThrottlePermit> tryAcquire(AddressKey address, Duration window) {
        return throttle.tryAcquire(address, window, NO_BUDGET);
    }

    /** Spends the address's budget of {@code budget} through the challenge store, as wrong codes would. */
    private void spend(AddressKey address, AddressBudget budget) {
        ChallengeStore store = budgetCounter();
        java.time.Instant now = clock.instant();
        Challenge challenge = Challenge.withoutCode(store.newChallengeId(address), address, DeliveryState.THROTTLED,
                now, now.plus(Duration.ofMinutes(10)));
        store.create(challenge, now.plus(Duration.ofHours(1)));
        for (int i = 0; i < budget.maxFailedAttempts(); i++) {
            store.check(challenge.id(), new TypedCode("00", Optional.empty()), budget.maxFailedAttempts() + 1, budget);
        }
    }

    @Test
    @DisplayName("an address that spent its failed-guess budget gets no window (it sends as throttled) until unlocked")
    void lockedAddress() {
        AddressBudget budget = new AddressBudget(3, Duration.ofHours(1));
        spend(email, budget);
        assertThat(throttle.tryAcquire(email, WINDOW, budget)).isEmpty();
        assertThat(throttle.tryAcquire(email, Duration.ZERO, budget)).isEmpty();
        assertThat(throttle.tryAcquire(newAddress(), WINDOW, budget)).isPresent();
        budgetCounter().unlockAddress(email);
        assertThat(throttle.tryAcquire(email, WINDOW, budget)).isPresent();
    }

    @Test
    @DisplayName("a zero window takes no window: every attempt is granted while the address is not locked")
    void zeroWindow() {
        ThrottlePermit first = throttle.tryAcquire(email, Duration.ZERO, NO_BUDGET).orElseThrow();
        assertThat(throttle.tryAcquire(email, Duration.ZERO, NO_BUDGET)).isPresent();
        throttle.release(first);
        assertThat(tryAcquire(email, WINDOW)).isPresent();
    }

    @Test
    @DisplayName("the first attempt opens a window and later attempts inside it are refused")
    void opensWindow() {
        Optional<ThrottlePermit> permit = tryAcquire(email, WINDOW);
        assertThat(permit).get().extracting(ThrottlePermit::address).isEqualTo(email);
        assertThat(tryAcquire(email, WINDOW)).isEmpty();
        clock.advance(WINDOW.minusMillis(1));
        assertThat(tryAcquire(email, WINDOW)).isEmpty();
    }

    @Test
    @DisplayName("the window ends after its length, by the clock")
    void windowEnds() {
        tryAcquire(email, WINDOW);
        clock.advance(WINDOW);
        assertThat(tryAcquire(email, WINDOW)).isPresent();
    }

    @Test
    @DisplayName("a refused attempt does not extend the window")
    void refusedDoesNotExtend() {
        tryAcquire(email, WINDOW);
        clock.advance(WINDOW.dividedBy(2));
        assertThat(tryAcquire(email, WINDOW)).isEmpty();
        clock.advance(WINDOW.dividedBy(2));
        assertThat(tryAcquire(email, WINDOW)).isPresent();
    }

    @Test
    @DisplayName("windows are per address")
    void perAddress() {
        tryAcquire(email, WINDOW);
        assertThat(tryAcquire(newAddress(), WINDOW)).isPresent();
    }

    @Test
    @DisplayName("each window has its own token")
    void uniqueTokens() {
        ThrottlePermit first = tryAcquire(email, WINDOW).orElseThrow();
        clock.advance(WINDOW);
        ThrottlePermit second = tryAcquire(email, WINDOW).orElseThrow();
        assertThat(second.token()).isNotEqualTo(first.token());
    }

    @Test
    @DisplayName("a release by the holder reopens the address at once")
    void releaseReopens() {
        ThrottlePermit permit = tryAcquire(email, WINDOW).orElseThrow();
        throttle.release(permit);
        assertThat(tryAcquire(email, WINDOW)).isPresent();
    }

    @Test
    @DisplayName("a late release never frees the next holder's window")
    void lateReleaseIsHarmless() {
        ThrottlePermit first = tryAcquire(email, WINDOW).orElseThrow();
        clock.advance(WINDOW);
        tryAcquire(email, WINDOW).orElseThrow();
        throttle.release(first);
        assertThat(tryAcquire(email, WINDOW)).isEmpty();
    }

    @Test
    @DisplayName("10 concurrent attempts for one address: exactly one opens the window")
    void concurrentAttempts() {
        List<Optional<ThrottlePermit>> permits = Concurrently.run(10, () -> tryAcquire(email, WINDOW));
        assertThat(permits).filteredOn(Optional::isPresent).hasSize(1);
    }

    @Test
    @DisplayName("ping answers when the medium is up")
    void ping() {
        assertThatCode(throttle::ping).doesNotThrowAnyException();
    }
}
