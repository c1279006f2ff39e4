package io.authsession.testkit;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.AddressState;
import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.CodeCheck;
import io.authsession.core.port.ConfirmOutcome;
import io.authsession.core.port.TypedCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ChallengeStore} in memory, with the failed-guess budgets of addresses; every operation holds one lock, which
 * makes each atomic. Give it to {@link InMemoryResendThrottle#InMemoryResendThrottle(Clock, InMemoryChallengeStore)}
 * so that a locked address sends as throttled.
 */
public final class InMemoryChallengeStore implements ChallengeStore {
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Faults faults = new Faults("challenge_store");
    private final AddressBudgets budgets = new AddressBudgets();

    public InMemoryChallengeStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The next {@code calls} operations fail as if Redis were down. */
    public void failNextCalls(int calls) {
        faults.failNext(calls);
    }

    /** When the challenge will disappear, if it is stored. */
    public Optional<Instant> purgeAt(String challengeId) {
        return Optional.ofNullable(entries.get(challengeId)).map(Entry::purgeAt);
    }

    /** A plain random id: this store needs no layout hint. */
    @Override
    public String newChallengeId(AddressKey address) {
        return RandomIds.next();
    }

    @Override
    public synchronized void create(Challenge challenge, Instant purgeAt) {
        faults.check();
        entries.put(challenge.id(), new Entry(challenge, purgeAt));
    }

    @Override
    public Optional<Challenge> find(String challengeId) {
        faults.check();
        Entry entry = entries.get(challengeId);
        if (entry == null || isPurged(entry)) {
            return Optional.empty();
        }
        return Optional.of(entry.challenge);
    }

    @Override
    public synchronized CodeCheck check(String challengeId, TypedCode code, int maxAttempts, AddressBudget budget) {
        faults.check();
        Instant now = clock.instant();
        Entry entry = entries.get(challengeId);
        if (entry == null || isPurged(entry)) {
            return CodeCheck.refused(CodeCheck.Kind.NOT_FOUND);
        }
        Challenge c = entry.challenge;
        if (c.isExpiredAt(now)) {
            return CodeCheck.refused(CodeCheck.Kind.EXPIRED);
        }
        if (c.failedAttempts() >= maxAttempts) {
            return CodeCheck.refused(CodeCheck.Kind.TOO_MANY_ATTEMPTS);
        }
        if (budgets.locked(c.address(), budget, now)) {
            return CodeCheck.refused(CodeCheck.Kind.ADDRESS_LOCKED);
        }
        if (matches(c.codeHash(), code)) {
            return CodeCheck.matched(c);
        }
        entries.put(challengeId, new Entry(c.withFailedAttempt(), entry.purgeAt));
        return budgets.count(c.address(), budget, now) ? CodeCheck.invalidCodeLocking(c.address()) : CodeCheck.invalidCode();
    }

    /** Both hashes are always compared, in constant time; a challenge without a code never matches. */
    private static boolean matches(Optional<String> stored, TypedCode code) {
        byte[] hash = stored.orElse("").getBytes(StandardCharsets.US_ASCII);
        boolean current = MessageDigest.isEqual(hash, code.underCurrentKey().getBytes(StandardCharsets.US_ASCII));
        boolean previous = MessageDigest.isEqual(hash,
                code.underPreviousKey().orElse("-").getBytes(StandardCharsets.US_ASCII));
        return stored.isPresent() & (current | previous);
    }

    @Override
    public synchronized ConfirmOutcome confirm(String challengeId, Challenge.Confirmation confirmation, int maxAttempts,
            AddressBudget budget, Instant purgeAt) {
        faults.check();
        Instant now = clock.instant();
        Entry entry = entries.get(challengeId);
        if (entry == null || isPurged(entry)) {
            return ConfirmOutcome.refused(ConfirmOutcome.Kind.NOT_FOUND);
        }
        Challenge c = entry.challenge;
        if (c.status() == ChallengeStatus.CONFIRMED_PENDING_EXPIRE) {
            return ConfirmOutcome.alreadyConfirmed(c.confirmation().orElseThrow());
        }
        if (c.isExpiredAt(now)) {
            return ConfirmOutcome.refused(ConfirmOutcome.Kind.EXPIRED);
        }
        if (c.failedAttempts() >= maxAttempts) {
            return ConfirmOutcome.refused(ConfirmOutcome.Kind.TOO_MANY_ATTEMPTS);
        }
        if (budgets.locked(c.address(), budget, now)) {
            return ConfirmOutcome.refused(ConfirmOutcome.Kind.ADDRESS_LOCKED);
        }
        entries.put(challengeId, new Entry(c.confirmedAs(confirmation), purgeAt));
        budgets.reset(c.address(), now);
        return ConfirmOutcome.confirmed(confirmation);
    }

    @Override
    public AddressState addressState(AddressKey address, AddressBudget budget) {
        faults.check();
        return budgets.state(address, budget, clock.instant());
    }

    @Override
    public boolean unlockAddress(AddressKey address) {
        faults.check();
        return budgets.reset(address, clock.instant());
    }

    /** The failed-guess windows, for a throttle of the same fixture to read. */
    AddressBudgets budgets() {
        return budgets;
    }

    @Override
    public synchronized void discardCode(String challengeId, DeliveryState why) {
        faults.check();
        entries.computeIfPresent(challengeId, (id, entry) -> entry.challenge.status() == ChallengeStatus.PENDING_CONFIRMATION
                ? new Entry(entry.challenge.withCodeDiscarded(why), entry.purgeAt)
                : entry);
    }

    @Override
    public void ping() {
        faults.check();
    }

    private boolean isPurged(Entry entry) {
        return !clock.instant().isBefore(entry.purgeAt);
    }

    private record Entry(Challenge challenge, Instant purgeAt) {}
}
