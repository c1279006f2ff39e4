package io.authsession.testkit;

import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.AttemptOutcome;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ConfirmOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link ChallengeStore} in memory; its atomic operations run under the map's per-key lock. */
public final class InMemoryChallengeStore implements ChallengeStore {
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Faults faults = new Faults("challenge_store");

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
    public String newChallengeId(EmailAddress email) {
        return RandomIds.next();
    }

    @Override
    public void create(Challenge challenge, Instant purgeAt) {
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
    public AttemptOutcome recordFailedAttempt(String challengeId, int maxAttempts) {
        faults.check();
        AtomicReference<AttemptOutcome> outcome = new AtomicReference<>(AttemptOutcome.NOT_FOUND);
        entries.computeIfPresent(challengeId, (id, entry) -> {
            if (isPurged(entry)) {
                return null;
            }
            Challenge c = entry.challenge;
            if (c.isExpiredAt(clock.instant())) {
                outcome.set(AttemptOutcome.EXPIRED);
                return entry;
            }
            if (c.failedAttempts() >= maxAttempts) {
                outcome.set(AttemptOutcome.TOO_MANY_ATTEMPTS);
                return entry;
            }
            outcome.set(AttemptOutcome.COUNTED);
            return new Entry(c.withFailedAttempt(), entry.purgeAt);
        });
        return outcome.get();
    }

    @Override
    public ConfirmOutcome confirm(
            String challengeId, Challenge.Confirmation confirmation, int maxAttempts, Instant purgeAt) {
        faults.check();
        AtomicReference<ConfirmOutcome> outcome =
                new AtomicReference<>(ConfirmOutcome.refused(ConfirmOutcome.Kind.NOT_FOUND));
        entries.computeIfPresent(challengeId, (id, entry) -> {
            if (isPurged(entry)) {
                return null;
            }
            Challenge c = entry.challenge;
            if (c.status() == ChallengeStatus.CONFIRMED_PENDING_EXPIRE) {
                outcome.set(ConfirmOutcome.alreadyConfirmed(c.confirmation().orElseThrow()));
                return entry;
            }
            if (c.isExpiredAt(clock.instant())) {
                outcome.set(ConfirmOutcome.refused(ConfirmOutcome.Kind.EXPIRED));
                return entry;
            }
            if (c.failedAttempts() >= maxAttempts) {
                outcome.set(ConfirmOutcome.refused(ConfirmOutcome.Kind.TOO_MANY_ATTEMPTS));
                return entry;
            }
            outcome.set(ConfirmOutcome.confirmed(confirmation));
            return new Entry(c.confirmedAs(confirmation), purgeAt);
        });
        return outcome.get();
    }

    @Override
    public void markDeliveryFailed(String challengeId) {
        faults.check();
        entries.computeIfPresent(challengeId, (id, entry) -> entry.challenge.status() == ChallengeStatus.PENDING_CONFIRMATION
                ? new Entry(entry.challenge.withDeliveryFailed(), entry.purgeAt)
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
