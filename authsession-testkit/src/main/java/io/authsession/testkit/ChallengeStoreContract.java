package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.AddressState;
import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.CodeCheck;
import io.authsession.core.port.ConfirmOutcome;
import io.authsession.core.port.TypedCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChallengeStore} must have. Subclass it and return a store built on the given clock;
 * each test gets a fresh store and uses addresses no other test uses.
 */
public abstract class ChallengeStoreContract {
    protected static final Duration TTL = Duration.ofMinutes(10);
    protected static final Duration RETENTION = Duration.ofHours(1);
    protected static final int MAX_ATTEMPTS = 5;
    private static final String HASH = "ab".repeat(32);
    private static final TypedCode RIGHT = new TypedCode(HASH, Optional.empty());
    private static final TypedCode WRONG = new TypedCode("cd".repeat(32), Optional.empty());
    private static final AddressBudget BUDGET = new AddressBudget(3, Duration.ofHours(1));

    protected MutableClock clock;
    protected ChallengeStore store;
    private AddressKey address;
    private EmailAddress email;

    /** A store that decides expiry against {@code clock}. */
    protected abstract ChallengeStore createStore(Clock clock);

    @BeforeEach
    void createStoreUnderTest() {
        clock = MutableClock.create();
        store = createStore(clock);
        address = newAddress();
        email = EmailAddress.parse("kit-" + UUID.randomUUID() + "@example.com");
    }

    /** An address no other test uses, as an address key looks. */
    static AddressKey newAddress() {
        return new AddressKey(RandomIds.next());
    }

    private Challenge storeSent() {
        return storeSent(address);
    }

    private Challenge storeSent(AddressKey of) {
        Instant now = clock.instant();
        Challenge challenge = Challenge.sent(store.newChallengeId(of), of, email, HASH, now, now.plus(TTL));
        store.create(challenge, challenge.expiresAt().plus(RETENTION));
        return challenge;
    }

    private CodeCheck check(Challenge challenge, TypedCode code) {
        return store.check(challenge.id(), code, MAX_ATTEMPTS, AddressBudget.OFF);
    }

    private static Challenge.Confirmation confirmation(String sessionId) {
        return new Challenge.Confirmation(sessionId, "user-1");
    }

    private ConfirmOutcome confirm(Challenge challenge, String sessionId, Instant purgeAt) {
        return store.confirm(challenge.id(), confirmation(sessionId), MAX_ATTEMPTS, AddressBudget.OFF, purgeAt);
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
        @DisplayName("a challenge without a code keeps its delivery state and its address key, and no address in clear")
        void withoutCode() {
            for (DeliveryState delivery : List.of(DeliveryState.THROTTLED, DeliveryState.SUPPRESSED)) {
                Instant now = clock.instant();
                Challenge challenge = Challenge.withoutCode(store.newChallengeId(address), address, delivery, now,
                        now.plus(TTL));
                store.create(challenge, now.plus(TTL).plus(RETENTION));
                Challenge stored = store.find(challenge.id()).orElseThrow();
                assertThat(stored).isEqualTo(challenge);
                assertThat(stored.email()).isEmpty();
                assertThat(stored.address()).isEqualTo(address);
            }
        }

        @Test
        @DisplayName("an unknown challenge is not found")
        void unknown() {
            assertThat(store.find(store.newChallengeId(address))).isEmpty();
            assertThat(store.find("not-an-id")).isEmpty();
        }

        @Test
        @DisplayName("an expired pending challenge is still found until the clock reaches its purge time")
        void purgedByClock() {
            Challenge challenge = storeSent();
            clock.advance(TTL);
            assertThat(store.find(challenge.id())).contains(challenge);
            clock.advance(RETENTION.minusMillis(1));
            assertThat(store.find(challenge.id())).isPresent();
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
                String id = store.newChallengeId(address);
                assertThat(id).matches("[A-Za-z0-9_-]{22,128}").doesNotContain(address.value());
                ids.add(id);
            }
            assertThat(ids).hasSize(count);
            assertThat(IdEntropy.varyingPositions(ids)).isGreaterThanOrEqualTo(22);
        }
    }

    @Nested
    @DisplayName("checking a code")
    class Checking {
        @Test
        @DisplayName("the right code matches, returns the challenge and counts nothing")
        void rightCode() {
            Challenge challenge = storeSent();
            assertThat(check(challenge, RIGHT)).isEqualTo(CodeCheck.matched(challenge));
            assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isZero();
        }

        @Test
        @DisplayName("a code hashed with the previous key matches too")
        void previousKey() {
            Challenge challenge = storeSent();
            assertThat(check(challenge, new TypedCode("ef".repeat(32), Optional.of(HASH))).kind())
                    .isEqualTo(CodeCheck.Kind.MATCHED);
        }

        @Test
        @DisplayName("each wrong code is counted until the maximum, then refused, even the right code")
        void countedUpToMaximum() {
            Challenge challenge = storeSent();
            for (int i = 1; i <= MAX_ATTEMPTS; i++) {
                assertThat(check(challenge, WRONG)).isEqualTo(CodeCheck.invalidCode());
                assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isEqualTo(i);
            }
            assertThat(check(challenge, WRONG).kind()).isEqualTo(CodeCheck.Kind.TOO_MANY_ATTEMPTS);
            assertThat(check(challenge, RIGHT).kind()).isEqualTo(CodeCheck.Kind.TOO_MANY_ATTEMPTS);
            assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isEqualTo(MAX_ATTEMPTS);
        }

        @Test
        @DisplayName("a challenge without a code never matches: every code counts as wrong")
        void withoutCodeNeverMatches() {
            Instant now = clock.instant();
            Challenge challenge = Challenge.withoutCode(store.newChallengeId(address), address, DeliveryState.THROTTLED,
                    now, now.plus(TTL));
            store.create(challenge, now.plus(TTL).plus(RETENTION));
            assertThat(check(challenge, new TypedCode("", Optional.of("")))).isEqualTo(CodeCheck.invalidCode());
            assertThat(check(challenge, RIGHT)).isEqualTo(CodeCheck.invalidCode());
        }

        @Test
        @DisplayName("an unknown challenge counts nothing")
        void unknown() {
            assertThat(store.check(store.newChallengeId(address), WRONG, MAX_ATTEMPTS, BUDGET).kind())
                    .isEqualTo(CodeCheck.Kind.NOT_FOUND);
            assertThat(store.addressState(address, BUDGET)).isEqualTo(AddressState.CLEAR);
        }

        @Test
        @DisplayName("an expired challenge counts nothing")
        void expired() {
            Challenge challenge = storeSent();
            clock.advance(TTL);
            assertThat(check(challenge, WRONG).kind()).isEqualTo(CodeCheck.Kind.EXPIRED);
            assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isZero();
        }

        @Test
        @DisplayName("counting keeps the purge time")
        void keepsPurgeTime() {
            Challenge challenge = storeSent();
            check(challenge, WRONG);
            clock.advance(TTL.plus(RETENTION));
            assertThat(store.find(challenge.id())).isEmpty();
        }

        @Test
        @DisplayName("a confirmed challenge counts wrong codes too, and still matches the right one")
        void confirmedCounts() {
            Challenge challenge = storeSent();
            confirm(challenge, "s1", clock.instant().plus(Duration.ofMinutes(5)));
            assertThat(check(challenge, WRONG)).isEqualTo(CodeCheck.invalidCode());
            assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isEqualTo(1);
            assertThat(check(challenge, RIGHT).challenge().orElseThrow().confirmation()).contains(confirmation("s1"));
        }

        @Test
        @DisplayName("24 concurrent wrong codes are counted exactly up to the maximum")
        void concurrentGuesses() {
            Challenge challenge = storeSent();
            List<CodeCheck> outcomes = Concurrently.run(24, () -> check(challenge, WRONG));
            assertThat(outcomes).filteredOn(o -> o.kind() == CodeCheck.Kind.INVALID_CODE).hasSize(MAX_ATTEMPTS);
            assertThat(outcomes).filteredOn(o -> o.kind() == CodeCheck.Kind.TOO_MANY_ATTEMPTS)
                    .hasSize(24 - MAX_ATTEMPTS);
            assertThat(store.find(challenge.id()).orElseThrow().failedAttempts()).isEqualTo(MAX_ATTEMPTS);
        }
    }

    @Nested
    @DisplayName("the failed-guess budget of an address")
    class Budget {
        private CodeCheck guess(Challenge challenge, TypedCode code) {
            return store.check(challenge.id(), code, MAX_ATTEMPTS, BUDGET);
        }

        @Test
        @DisplayName("wrong codes count across the address's challenges; the one that spends the budget says so")
        void countsAcrossChallenges() {
            Challenge first = storeSent();
            Challenge second = storeSent();
            assertThat(guess(first, WRONG)).isEqualTo(CodeCheck.invalidCode());
            assertThat(guess(second, WRONG)).isEqualTo(CodeCheck.invalidCode());
            assertThat(store.addressState(address, BUDGET).failedAttempts()).isEqualTo(2);
            assertThat(guess(first, WRONG)).isEqualTo(CodeCheck.invalidCodeLocking(address));
            AddressState locked = store.addressState(address, BUDGET);
            assertThat(locked.locked()).isTrue();
            assertThat(locked.failedAttempts()).isEqualTo(3);
            assertThat(locked.windowEndsAt()).contains(clock.instant().plus(BUDGET.window()));
        }

        @Test
        @DisplayName("a locked address refuses every challenge, the right code included, without counting")
        void lockRefusesRightCode() {
            Challenge first = storeSent();
            Challenge fresh = storeSent();
            for (int i = 0; i < BUDGET.maxFailedAttempts(); i++) {
                guess(first, WRONG);
            }
            assertThat(guess(fresh, RIGHT).kind()).isEqualTo(CodeCheck.Kind.ADDRESS_LOCKED);
            assertThat(guess(fresh, WRONG).kind()).isEqualTo(CodeCheck.Kind.ADDRESS_LOCKED);
            assertThat(store.find(fresh.id()).orElseThrow().failedAttempts()).isZero();
            assertThat(store.addressState(address, BUDGET).failedAttempts()).isEqualTo(BUDGET.maxFailedAttempts());
            assertThat(store.confirm(fresh.id(), confirmation("s1"), MAX_ATTEMPTS, BUDGET,
                    clock.instant().plusSeconds(300))).isEqualTo(ConfirmOutcome.refused(ConfirmOutcome.Kind.ADDRESS_LOCKED));
        }

        @Test
        @DisplayName("other addresses are not affected by a lock")
        void otherAddresses() {
            Challenge mine = storeSent();
            for (int i = 0; i < BUDGET.maxFailedAttempts(); i++) {
                guess(mine, WRONG);
            }
            Challenge theirs = storeSent(newAddress());
            assertThat(guess(theirs, RIGHT).kind()).isEqualTo(CodeCheck.Kind.MATCHED);
        }

        @Test
        @DisplayName("the window is fixed from the first failure; when it ends by the clock the count starts again")
        void windowEnds() {
            guess(storeSent(), WRONG);
            clock.advance(BUDGET.window().minusMinutes(10));
            Challenge later = storeSent();
            guess(later, WRONG);
            guess(later, WRONG);
            assertThat(store.addressState(address, BUDGET).locked()).isTrue();
            clock.advance(Duration.ofMinutes(10));
            assertThat(store.addressState(address, BUDGET)).isEqualTo(AddressState.CLEAR);
            Challenge fresh = storeSent();
            assertThat(guess(fresh, RIGHT).kind()).isEqualTo(CodeCheck.Kind.MATCHED);
            assertThat(guess(fresh, WRONG)).isEqualTo(CodeCheck.invalidCode());
            assertThat(store.addressState(address, BUDGET).failedAttempts()).isEqualTo(1);
        }

        @Test
        @DisplayName("a successful confirm closes the window: the count restarts at zero")
        void successResets() {
            Challenge challenge = storeSent();
            guess(challenge, WRONG);
            guess(challenge, WRONG);
            assertThat(store.confirm(challenge.id(), confirmation("s1"), MAX_ATTEMPTS, BUDGET,
                    clock.instant().plusSeconds(300)).kind()).isEqualTo(ConfirmOutcome.Kind.CONFIRMED);
            assertThat(store.addressState(address, BUDGET)).isEqualTo(AddressState.CLEAR);
        }

        @Test
        @DisplayName("a budget of zero counts nothing and never locks")
        void off() {
            Challenge challenge = storeSent();
            for (int i = 0; i < MAX_ATTEMPTS; i++) {
                assertThat(store.check(challenge.id(), WRONG, MAX_ATTEMPTS, AddressBudget.OFF))
                        .isEqualTo(CodeCheck.invalidCode());
            }
            assertThat(store.addressState(address, BUDGET)).isEqualTo(AddressState.CLEAR);
        }

        @Test
        @DisplayName("a change of the budget applies at once: a lower one locks an address that is over it")
        void runtimeChange() {
            Challenge challenge = storeSent();
            guess(challenge, WRONG);
            guess(challenge, WRONG);
            AddressBudget lower = new AddressBudget(2, BUDGET.window());
            assertThat(store.check(challenge.id(), RIGHT, MAX_ATTEMPTS, lower).kind())
                    .isEqualTo(CodeCheck.Kind.ADDRESS_LOCKED);
            AddressBudget higher = new AddressBudget(10, BUDGET.window());
            assertThat(store.check(challenge.id(), RIGHT, MAX_ATTEMPTS, higher).kind()).isEqualTo(CodeCheck.Kind.MATCHED);
        }

        @Test
        @DisplayName("an operator's unlock lifts the lock at once")
        void unlock() {
            Challenge challenge = storeSent();
            for (int i = 0; i < BUDGET.maxFailedAttempts(); i++) {
                guess(challenge, WRONG);
            }
            assertThat(store.unlockAddress(address)).isTrue();
            assertThat(store.addressState(address, BUDGET)).isEqualTo(AddressState.CLEAR);
            assertThat(guess(challenge, RIGHT).kind()).isEqualTo(CodeCheck.Kind.MATCHED);
            assertThat(store.unlockAddress(address)).isFalse();
        }

        @Test
        @DisplayName("48 concurrent wrong codes over 6 challenges of one address yield exactly the budget in invalid codes")
        void concurrentAcrossChallenges() {
            AddressBudget budget = new AddressBudget(20, Duration.ofHours(1));
            List<Challenge> challenges = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                challenges.add(storeSent());
            }
            AtomicInteger next = new AtomicInteger();
            List<CodeCheck> outcomes = Concurrently.run(48, () -> store.check(
                    challenges.get(next.getAndIncrement() % 6).id(), WRONG, MAX_ATTEMPTS, budget));
            assertThat(outcomes).filteredOn(o -> o.kind() == CodeCheck.Kind.INVALID_CODE).hasSize(20);
            assertThat(outcomes).filteredOn(o -> o.lockedNow().isPresent()).hasSize(1);
            assertThat(outcomes).allMatch(o -> o.kind() == CodeCheck.Kind.INVALID_CODE
                    || o.kind() == CodeCheck.Kind.ADDRESS_LOCKED || o.kind() == CodeCheck.Kind.TOO_MANY_ATTEMPTS);
            assertThat(store.addressState(address, budget)).extracting(AddressState::failedAttempts, AddressState::locked)
                    .containsExactly(20, true);
        }
    }

    @Nested
    @DisplayName("confirm")
    class Confirm {
        @Test
        @DisplayName("a pending challenge is confirmed, remembering the session")
        void confirms() {
            Challenge challenge = storeSent();
            ConfirmOutcome outcome = confirm(challenge, "s1", clock.instant().plus(Duration.ofMinutes(5)));
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
            confirm(challenge, "s1", purgeAt);
            assertThat(confirm(challenge, "s2", purgeAt)).isEqualTo(ConfirmOutcome.alreadyConfirmed(confirmation("s1")));
            assertThat(store.find(challenge.id()).orElseThrow().confirmation()).contains(confirmation("s1"));
        }

        @Test
        @DisplayName("an expired challenge is not confirmed")
        void expired() {
            Challenge challenge = storeSent();
            clock.advance(TTL);
            assertThat(confirm(challenge, "s1", clock.instant().plusSeconds(300)))
                    .isEqualTo(ConfirmOutcome.refused(ConfirmOutcome.Kind.EXPIRED));
            assertThat(store.find(challenge.id()).orElseThrow().status()).isEqualTo(ChallengeStatus.PENDING_CONFIRMATION);
        }

        @Test
        @DisplayName("a challenge with its maximum of failed attempts is not confirmed")
        void locked() {
            Challenge challenge = storeSent();
            for (int i = 0; i < MAX_ATTEMPTS; i++) {
                check(challenge, WRONG);
            }
            assertThat(confirm(challenge, "s1", clock.instant().plusSeconds(300)))
                    .isEqualTo(ConfirmOutcome.refused(ConfirmOutcome.Kind.TOO_MANY_ATTEMPTS));
        }

        @Test
        @DisplayName("an unknown challenge is not confirmed")
        void unknown() {
            assertThat(store.confirm(store.newChallengeId(address), confirmation("s1"), MAX_ATTEMPTS, AddressBudget.OFF,
                    clock.instant().plusSeconds(300))).isEqualTo(ConfirmOutcome.refused(ConfirmOutcome.Kind.NOT_FOUND));
        }

        @Test
        @DisplayName("a confirmed challenge lives exactly until the new purge time, past its code expiry")
        void idempotencyWindow() {
            Challenge challenge = storeSent();
            Duration window = Duration.ofMinutes(15);
            confirm(challenge, "s1", clock.instant().plus(window));
            clock.advance(window.minusMillis(1));
            Challenge stored = store.find(challenge.id()).orElseThrow();
            assertThat(stored.isExpiredAt(clock.instant())).isFalse();
            assertThat(confirm(challenge, "s2", clock.instant().plus(window)))
                    .isEqualTo(ConfirmOutcome.alreadyConfirmed(confirmation("s1")));
            clock.advance(Duration.ofMillis(1));
            assertThat(store.find(challenge.id())).isEmpty();
        }

        @Test
        @DisplayName("a confirmed challenge disappears at the new purge time even when that is sooner")
        void idempotencyWindowShortensLife() {
            Challenge challenge = storeSent();
            confirm(challenge, "s1", clock.instant().plusSeconds(60));
            clock.advance(Duration.ofSeconds(60));
            assertThat(store.find(challenge.id())).isEmpty();
        }

        @Test
        @DisplayName("12 concurrent confirms: exactly one wins and all see its session")
        void concurrentConfirms() {
            Challenge challenge = storeSent();
            AtomicInteger sessionIds = new AtomicInteger();
            List<ConfirmOutcome> outcomes = Concurrently.run(12, () -> confirm(challenge,
                    "s" + sessionIds.incrementAndGet(), clock.instant().plusSeconds(300)));
            assertThat(outcomes).filteredOn(o -> o.kind() == ConfirmOutcome.Kind.CONFIRMED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o.kind() == ConfirmOutcome.Kind.ALREADY_CONFIRMED).hasSize(11);
            assertThat(outcomes).extracting(ConfirmOutcome::confirmation).containsOnly(
                    store.find(challenge.id()).orElseThrow().confirmation());
        }
    }

    @Nested
    @DisplayName("discarding a code")
    class DeliveryFailure {
        @Test
        @DisplayName("marking delivery failed discards the code hash and keeps the challenge pending")
        void discardsCode() {
            Challenge challenge = storeSent();
            store.discardCode(challenge.id(), DeliveryState.FAILED);
            Challenge stored = store.find(challenge.id()).orElseThrow();
            assertThat(stored.delivery()).isEqualTo(DeliveryState.FAILED);
            assertThat(stored.codeHash()).isEmpty();
            assertThat(stored.status()).isEqualTo(ChallengeStatus.PENDING_CONFIRMATION);
            assertThat(check(stored, RIGHT)).isEqualTo(CodeCheck.invalidCode());
        }

        @Test
        @DisplayName("discarding as suppressed (a blocked user) drops the code and the address in clear")
        void suppressed() {
            Challenge challenge = storeSent();
            store.discardCode(challenge.id(), DeliveryState.SUPPRESSED);
            Challenge stored = store.find(challenge.id()).orElseThrow();
            assertThat(stored.delivery()).isEqualTo(DeliveryState.SUPPRESSED);
            assertThat(stored.codeHash()).isEmpty();
            assertThat(stored.email()).isEmpty();
            assertThat(stored.address()).isEqualTo(address);
            assertThat(check(stored, RIGHT)).isEqualTo(CodeCheck.invalidCode());
        }

        @Test
        @DisplayName("marking keeps the purge time")
        void keepsPurgeTime() {
            Challenge challenge = storeSent();
            store.discardCode(challenge.id(), DeliveryState.FAILED);
            clock.advance(TTL.plus(RETENTION));
            assertThat(store.find(challenge.id())).isEmpty();
        }

        @Test
        @DisplayName("marking an unknown challenge creates nothing")
        void unknown() {
            String id = store.newChallengeId(address);
            store.discardCode(id, DeliveryState.FAILED);
            assertThat(store.find(id)).isEmpty();
        }
    }

    @Test
    @DisplayName("ping answers when the medium is up")
    void ping() {
        assertThatCode(store::ping).doesNotThrowAnyException();
    }
}
