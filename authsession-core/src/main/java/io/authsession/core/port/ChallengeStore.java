package io.authsession.core.port;

import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.EmailAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps login challenges. The source of truth for codes, attempts and confirmation.
 *
 * <p>A store is built with a {@link java.time.Clock} and decides expiry against it: a challenge is gone once
 * the clock reaches its {@code purgeAt}, and a pending challenge is expired once the clock reaches its
 * {@code expiresAt}. Time-to-live features of the medium only clean up. Every failure of the medium is a
 * {@link io.authsession.core.error.DependencyUnavailableException}.
 */
public interface ChallengeStore {

    /**
     * A new id for a challenge of {@code email}: opaque, URL-safe, at least 128 bits from a secure random source,
     * never derived from the address alone, never the same twice. Reserves nothing; {@link #create} stores it.
     */
    String newChallengeId(EmailAddress email);

    /** Stores a new challenge that disappears at {@code purgeAt}, set in the same write. */
    void create(Challenge challenge, Instant purgeAt);

    /** The challenge, unless it never existed or its {@code purgeAt} has passed. */
    Optional<Challenge> find(String challengeId);

    /**
     * Atomically counts a wrong code: checks, in the contract's order, that the challenge exists, is not expired
     * and has fewer than {@code maxAttempts} failures, and only then adds one.
     */
    AttemptOutcome recordFailedAttempt(String challengeId, int maxAttempts);

    /**
     * Atomically moves a pending challenge to confirmed, remembering {@code confirmation}, and makes it disappear at
     * {@code purgeAt}. Exactly one of many concurrent calls confirms; the others learn the winner's confirmation.
     */
    ConfirmOutcome confirm(String challengeId, Challenge.Confirmation confirmation, int maxAttempts, Instant purgeAt);

    /** Records that delivery failed and discards the code hash, so the challenge can never be confirmed. */
    void markDeliveryFailed(String challengeId);

    /** Checks that the medium answers; throws when it does not. */
    void ping();
}
