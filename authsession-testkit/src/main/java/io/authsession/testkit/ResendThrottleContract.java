package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.ThrottlePermit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ResendThrottle} must have. Subclass it and return a throttle built on the clock. */
public abstract class ResendThrottleContract {
    protected static final Duration WINDOW = Duration.ofMinutes(1);

    protected MutableClock clock;
    protected ResendThrottle throttle;
    private EmailAddress email;

    /** A throttle that decides whether a window is open against {@code clock}. */
    protected abstract ResendThrottle createThrottle(Clock clock);

    @BeforeEach
    void createThrottleUnderTest() {
        clock = MutableClock.create();
        throttle = createThrottle(clock);
        email = newAddress();
    }

    private static EmailAddress newAddress() {
        return EmailAddress.parse("kit-" + UUID.randomUUID() + "@example.com");
    }

    @Test
    @DisplayName("the first attempt opens a window and later attempts inside it are refused")
    void opensWindow() {
        Optional<ThrottlePermit> permit = throttle.tryAcquire(email, WINDOW);
        assertThat(permit).get().extracting(ThrottlePermit::email).isEqualTo(email);
        assertThat(throttle.tryAcquire(email, WINDOW)).isEmpty();
        clock.advance(WINDOW.minusMillis(1));
        assertThat(throttle.tryAcquire(email, WINDOW)).isEmpty();
    }

    @Test
    @DisplayName("the window ends after its length, by the clock")
    void windowEnds() {
        throttle.tryAcquire(email, WINDOW);
        clock.advance(WINDOW);
        assertThat(throttle.tryAcquire(email, WINDOW)).isPresent();
    }

    @Test
    @DisplayName("a refused attempt does not extend the window")
    void refusedDoesNotExtend() {
        throttle.tryAcquire(email, WINDOW);
        clock.advance(WINDOW.dividedBy(2));
        assertThat(throttle.tryAcquire(email, WINDOW)).isEmpty();
        clock.advance(WINDOW.dividedBy(2));
        assertThat(throttle.tryAcquire(email, WINDOW)).isPresent();
    }

    @Test
    @DisplayName("windows are per address")
    void perAddress() {
        throttle.tryAcquire(email, WINDOW);
        assertThat(throttle.tryAcquire(newAddress(), WINDOW)).isPresent();
    }

    @Test
    @DisplayName("each window has its own token")
    void uniqueTokens() {
        ThrottlePermit first = throttle.tryAcquire(email, WINDOW).orElseThrow();
        clock.advance(WINDOW);
        ThrottlePermit second = throttle.tryAcquire(email, WINDOW).orElseThrow();
        assertThat(second.token()).isNotEqualTo(first.token());
    }

    @Test
    @DisplayName("a release by the holder reopens the address at once")
    void releaseReopens() {
        ThrottlePermit permit = throttle.tryAcquire(email, WINDOW).orElseThrow();
        throttle.release(permit);
        assertThat(throttle.tryAcquire(email, WINDOW)).isPresent();
    }

    @Test
    @DisplayName("a late release never frees the next holder's window")
    void lateReleaseIsHarmless() {
        ThrottlePermit first = throttle.tryAcquire(email, WINDOW).orElseThrow();
        clock.advance(WINDOW);
        throttle.tryAcquire(email, WINDOW).orElseThrow();
        throttle.release(first);
        assertThat(throttle.tryAcquire(email, WINDOW)).isEmpty();
    }

    @Test
    @DisplayName("10 concurrent attempts for one address: exactly one opens the window")
    void concurrentAttempts() {
        List<Optional<ThrottlePermit>> permits = Concurrently.run(10, () -> throttle.tryAcquire(email, WINDOW));
        assertThat(permits).filteredOn(Optional::isPresent).hasSize(1);
    }

    @Test
    @DisplayName("ping answers when the medium is up")
    void ping() {
        assertThatCode(throttle::ping).doesNotThrowAnyException();
    }
}
