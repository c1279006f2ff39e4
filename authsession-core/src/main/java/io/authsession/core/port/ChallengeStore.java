package io.authsession.core.port;

import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.AddressState;
import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.DeliveryState;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps login challenges and the failed-guess budget of their addresses. The source of truth for codes, attempts and
 * confirmation.
 *
 * <p>A store is built with a {@link java.time.Clock} and decides expiry against it: a challenge is gone once
 * the clock reaches its {@code purgeAt}, and a pending challenge is expired once the clock reaches its
 * {@code expiresAt}. Time-to-live features of the medium only clean up. Every failure of the medium is a
 * {@link io.authsession.core.error.DependencyUnavailableException}.
 */
public interface ChallengeStore {

    /**
     * A new id for a challenge of the address: opaque, URL-safe, at least 128 bits from a secure random source,
     * never derived from the address alone, never the same twice. A store may make it carry a layout hint of the
     * address (so that the challenge and its address's budget share a Redis Cluster slot). Reserves nothing.
     */
    String newChallengeId(AddressKey address);

    /** Stores a new challenge (its id from {@link #newChallengeId}) that disappears at {@code purgeAt}. */
    void create(Challenge challenge, Instant purgeAt);

    /** The challenge, unless it never existed or its {@code purgeAt} has passed. */
    Optional<Challenge> find(String challengeId);

    /**
     * Atomically checks a typed code, in the order of the confirm table: the challenge exists, is not expired
     * (pending only), has fewer than {@code maxAttempts} failures, its address is not locked by {@code budget}; then
     * compares the code with the stored hash. A wrong code (and every code of a challenge without one) counts one
     * attempt against the challenge and, in the same step, one failed guess against its address.
     */
    CodeCheck check(String challengeId, TypedCode code, int maxAttempts, AddressBudget budget);

    /**
     * Atomically moves a pending challenge to confirmed, remembering {@code confirmation}, makes it disappear at
     * {@code purgeAt}, and closes its address's failed-guess window (a success restarts the count). Refused, with
     * the reason, when the challenge is gone, expired, out of attempts or its address is locked. Exactly one of many
     * concurrent calls confirms; the others learn the winner's confirmation.
     */
    ConfirmOutcome confirm(String challengeId, Challenge.Confirmation confirmation, int maxAttempts,
            AddressBudget budget, Instant purgeAt);

    /**
     * Discards the code of a pending challenge, so that it can never be confirmed, and records why: {@code
     * delivery_suppressed} (the user is blocked; the address in clear is dropped too) or {@code delivery_failed} (the
     * user lookup or the mail failed). Never creates a challenge that does not exist.
     *
     * @param why {@link io.authsession.core.domain.DeliveryState#SUPPRESSED} or
     *     {@link io.authsession.core.domain.DeliveryState#FAILED}
     */
    void discardCode(String challengeId, DeliveryState why);

    /** Where the address stands against {@code budget} (for operators). */
    AddressState addressState(AddressKey address, AddressBudget budget);

    /** Closes the address's failed-guess window, lifting a lock; whether there was one to close. */
    boolean unlockAddress(AddressKey address);

    /** Checks that the medium answers; throws when it does not. */
    void ping();
}
