package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.AttemptOutcome;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ConfirmOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChallengeStore} must have. Subclass it and return a store built on the given clock;
 * each test gets a fresh store and may assume that ids it makes are unique.
 */
public abstract class ChallengeStoreContract {
    protected static final Duration TTL = Duration.ofMinutes(10);
    protected static final Duration RETENTION = Duration.ofHours(1);
    protected static final int MAX_ATTEMPTS = 5;
    private static final EmailAddress EMAIL = EmailAddress.parse("kit@example.com");

    protected MutableClock clock;
    protected ChallengeStore store;

    /** A store that decides expiry against {@code clock}. */
    protected abstract ChallengeStore createStore(Clock clock);

    @BeforeEach
    void createStoreUnderTest() {
        clock = MutableClock.create();
        store = createStore(clock);
    }

    private String newId() {
        return store.newChallengeId(EMAIL);
    }

    private Challenge storeSent() {
        Instant now = clock.instant();
        Challenge challenge = Challenge.sent(newId(), EMAIL, "ab".repeat(32), now, now.plus(TTL));
        store.create(challenge, challenge.expiresAt().plus(RETENTION));
        return challenge;
    }

    private static Challenge.Confirmation confirmation(String sessionId) {
        return new Challenge.Confirmation(sessionId, "user-1");
    }

    @Nested
    @DisplayName("create and find")
    class CreateAndFind {
        @Test
        @DisplayName("a created challenge is found with every field as written")
        void foundAsWritten() {
            Challenge challenge = storeSent();
            assertThat(store.find(challenge.id())).contains(challenge);
        }

        @Test
        @DisplayName("a challenge without a code keeps its delivery state and has no code hash")
        void withoutCode() {
            Instant now = clock.instant();
            for (DeliveryState delivery : List.of(DeliveryState.THROTTLED, DeliveryState.SUPPRESSED)) {
                Challenge challenge = Challenge.withoutCode(newId(), EMAIL, delivery, now, now.plus(TTL));
                store.create(challenge, now.plus(TTL).plus(RETENTION));
                assertThat(store.find(challenge.id())).contains(challenge);
            }
        }

        @Test
        @DisplayName("an unknown challenge is not found")
        void unknown() {
            assertThat(store.find(newId())).isEmpty();
        }

        @Test
        @DisplayName("an expired pending challenge is still found until the clock reaches its purge time")
        void purgedByClock() {
            Challenge challenge = storeSent();
            clock.advance(TTL.plus(RETENTION).minusMillis(1));
            assertThat(store.find(challenge.id())).contains(challenge);
            assertThat(challenge.isExpiredAt(clock.instant())).isTrue();
            clock.advance(Duration.ofMillis(1));
            assertThat(store.find(challenge.id())).isEmpty();
        }
    }

    @Nested
    @DisplayName("ids")
    class Ids {
        @Test
        @DisplayName("new ids are opaque, URL-safe, carry at least 128 random bits and never repeat, for one address")
        void opaqueAndRandom() {
            int count = 2000;
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (int i = 0; i < count; i++) {
                String id = store.newChallengeId(EMAIL);
                assertThat(id).matches("[A-Za-z0-9_-]{22,128}").doesNotContain("kit");
                ids.add(id);
            }
            assertThat(ids).hasSize(count);
            assertThat(IdEntropy.varyingPositions(ids)).isGreaterThanOrEqualTo(22);
        }
    }

    @Nested
    @DisplayName("failed attempts")
    class FailedAttempts {
        @Test
        @DisplayName("each wrong code is counted until the maximum, then refused")
        void countedUpToMaximum() {
            Challenge challenge = storeSent();
            for (int i = 1; i <= MAX_ATTEMPTS; i++) {
                assertThat(store.recordFailedAttempt(challenge.id(), MAX_ATTEMPTS)).isEqualTo(AttemptOutcome.COUNTED);
                assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isEqualTo(i);
            }
            assertThat(store.recordFailedAttempt(challenge.id(), MAX_ATTEMPTS))
                    .isEqualTo(AttemptOutcome.TOO_MANY_ATTEMPTS);
            assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isEqualTo(MAX_ATTEMPTS);
        }

        @Test
        @DisplayName("an unknown challenge counts nothing")
        void unknown() {
            assertThat(store.recordFailedAttempt(newId(), MAX_ATTEMPTS)).isEqualTo(AttemptOutcome.NOT_FOUND);
        }

        @Test
        @DisplayName("an expired challenge counts nothing")
        void expired() {
            Challenge challenge = storeSent();
            clock.advance(TTL);
            assertThat(store.recordFailedAttempt(challenge.id(), MAX_ATTEMPTS)).isEqualTo(AttemptOutcome.EXPIRED);
            assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isZero();
        }

        @Test
        @DisplayName("counting keeps the purge time")
        void keepsPurgeTime() {
            Challenge challenge = storeSent();
            store.recordFailedAttempt(challenge.id(), MAX_ATTEMPTS);
            clock.advance(TTL.plus(RETENTION));
            assertThat(store.find(challenge.id())).isEmpty();
        }

        @Test
        @DisplayName("a confirmed challenge counts wrong codes too")
        void confirmedCounts() {
            Challenge challenge = storeSent();
            store.confirm(challenge.id(), confirmation("s1"), MAX_ATTEMPTS, clock.instant().plus(Duration.ofMinutes(5)));
            assertThat(store.recordFailedAttempt(challenge.id(), MAX_ATTEMPTS)).isEqualTo(AttemptOutcome.COUNTED);
            assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isEqualTo(1);
        }

        @Test
        @DisplayName("24 concurrent wrong codes are counted exactly up to the maximum")
        void concurrentGuesses() {
            Challenge challenge = storeSent();
            List<AttemptOutcome> outcomes =
                    Concurrently.run(24, () -> store.recordFailedAttempt(challenge.id(), MAX_ATTEMPTS));
            assertThat(outcomes).filteredOn(AttemptOutcome.COUNTED::equals).hasSize(MAX_ATTEMPTS);
            assertThat(outcomes).filteredOn(AttemptOutcome.TOO_MANY_ATTEMPTS::equals).hasSize(24 - MAX_ATTEMPTS);
            assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isEqualTo(MAX_ATTEMPTS);
        }
    }

    @Nested
    @DisplayName("confirm")
    class Confirm {
        @Test
        @DisplayName("a pending challenge is confirmed, remembering the session")
        void confirms() {
            Challenge challenge = storeSent();
            ConfirmOutcome outcome = store.confirm(challenge.id(), confirmation("s1"), MAX_ATTEMPTS,
                    clock.instant().plus(Duration.ofMinutes(5)));
            assertThat(outcome).isEqualTo(ConfirmOutcome.confirmed(confirmation("s1")));
            Challenge stored = store.find(challenge.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(ChallengeStatus.CONFIRMED_PENDING_EXPIRE);
            assertThat(stored.confirmation()).contains(confirmation("s1"));
            assertThat(stored.codeHash()).isEqualTo(challenge.codeHash());
            assertThat(stored.email()).isEqualTo(challenge.email());
        }

        @Test
        @DisplayName("a second confirm learns the first one's session and changes nothing")
        void secondConfirm() {
            Challenge challenge = storeSent();
            Instant purgeAt = clock.instant().plus(Duration.ofMinutes(5));
            store.confirm(challenge.id(), confirmation("s1"), MAX_ATTEMPTS, purgeAt);
            assertThat(store.confirm(challenge.id(), confirmation("s2"), MAX_ATTEMPTS, purgeAt))
                    .isEqualTo(ConfirmOutcome.alreadyConfirmed(confirmation("s1")));
            assertThat(store.find(challenge.id()).orElseThrow().confirmation()).contains(confirmation("s1"));
        }

        @Test
        @DisplayName("an expired challenge is not confirmed")
        void expired() {
            Challenge challenge = storeSent();
            clock.advance(TTL);
            assertThat(store.confirm(challenge.id(), confirmation("s1"), MAX_ATTEMPTS, clock.instant().plusSeconds(300)))
                    .isEqualTo(ConfirmOutcome.refused(ConfirmOutcome.Kind.EXPIRED));
            assertThat(store.find(challenge.id()).orElseThrow().status()).isEqualTo(ChallengeStatus.PENDING_CONFIRMATION);
        }

        @Test
        @DisplayName("a challenge with its maximum of failed attempts is not confirmed")
        void locked() {
            Challenge challenge = storeSent();
            for (int i = 0; i < MAX_ATTEMPTS; i++) {
                store.recordFailedAttempt(challenge.id(), MAX_ATTEMPTS);
            }
            assertThat(store.confirm(challenge.id(), confirmation("s1"), MAX_ATTEMPTS, clock.instant().plusSeconds(300)))
                    .isEqualTo(ConfirmOutcome.refused(ConfirmOutcome.Kind.TOO_MANY_ATTEMPTS));
        }

        @Test
        @DisplayName("an unknown challenge is not confirmed")
        void unknown() {
            assertThat(store.confirm(newId(), confirmation("s1"), MAX_ATTEMPTS, clock.instant().plusSeconds(300)))
                    .isEqualTo(ConfirmOutcome.refused(ConfirmOutcome.Kind.NOT_FOUND));
        }

        @Test
        @DisplayName("a confirmed challenge lives exactly until the new purge time, past its code expiry")
        void idempotencyWindow() {
            Challenge challenge = storeSent();
            Duration window = Duration.ofMinutes(15);
            store.confirm(challenge.id(), confirmation("s1"), MAX_ATTEMPTS, clock.instant().plus(window));
            clock.advance(window.minusMillis(1));
            Challenge stored = store.find(challenge.id()).orElseThrow();
            assertThat(stored.isExpiredAt(clock.instant())).isFalse();
            assertThat(store.confirm(challenge.id(), confirmation("s2"), MAX_ATTEMPTS, clock.instant().plus(window)))
                    .isEqualTo(ConfirmOutcome.alreadyConfirmed(confirmation("s1")));
            clock.advance(Duration.ofMillis(1));
            assertThat(store.find(challenge.id())).isEmpty();
        }

        @Test
        @DisplayName("a confirmed challenge disappears at the new purge time even when that is sooner")
        void idempotencyWindowShortensLife() {
            Challenge challenge = storeSent();
            store.confirm(challenge.id(), confirmation("s1"), MAX_ATTEMPTS, clock.instant().plusSeconds(60));
            clock.advance(Duration.ofSeconds(60));
            assertThat(store.find(challenge.id())).isEmpty();
        }

        @Test
        @DisplayName("12 concurrent confirms: exactly one wins and all see its session")
        void concurrentConfirms() {
            Challenge challenge = storeSent();
            AtomicInteger sessionIds = new AtomicInteger();
            List<ConfirmOutcome> outcomes = Concurrently.run(12, () -> store.confirm(challenge.id(),
                    confirmation("s" + sessionIds.incrementAndGet()), MAX_ATTEMPTS, clock.instant().plusSeconds(300)));
            assertThat(outcomes).filteredOn(o -> o.kind() == ConfirmOutcome.Kind.CONFIRMED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o.kind() == ConfirmOutcome.Kind.ALREADY_CONFIRMED).hasSize(11);
            assertThat(outcomes).extracting(ConfirmOutcome::confirmation).containsOnly(
                    store.find(challenge.id()).orElseThrow().confirmation());
        }
    }

    @Nested
    @DisplayName("delivery failure")
    class DeliveryFailure {
        @Test
        @DisplayName("marking delivery failed discards the code hash and keeps the challenge pending")
        void discardsCode() {
            Challenge challenge = storeSent();
            store.markDeliveryFailed(challenge.id());
            Challenge stored = store.find(challenge.id()).orElseThrow();
            assertThat(stored.delivery()).isEqualTo(DeliveryState.FAILED);
            assertThat(stored.codeHash()).isEmpty();
            assertThat(stored.status()).isEqualTo(ChallengeStatus.PENDING_CONFIRMATION);
        }

        @Test
        @DisplayName("marking keeps the purge time")
        void keepsPurgeTime() {
            Challenge challenge = storeSent();
            store.markDeliveryFailed(challenge.id());
            clock.advance(TTL.plus(RETENTION));
            assertThat(store.find(challenge.id())).isEmpty();
        }

        @Test
        @DisplayName("marking an unknown challenge creates nothing")
        void unknown() {
            String id = newId();
            store.markDeliveryFailed(id);
            assertThat(store.find(id)).isEmpty();
        }
    }

    @Test
    @DisplayName("ping answers when the medium is up")
    void ping() {
        assertThatCode(store::ping).doesNotThrowAnyException();
    }
}
