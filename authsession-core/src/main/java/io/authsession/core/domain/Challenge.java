package io.authsession.core.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A login challenge: one request for an e-mail code.
 *
 * <p>Instants are kept at millisecond precision, the precision every store keeps.
 *
 * @param id opaque challenge id, minted by the challenge store
 * @param address the keyed hash of the address, which names the address's failed-guess budget
 * @param email the normalised address the code was sent to; only a sent challenge keeps it (the others can never be
 *     confirmed, so they need no address in clear)
 * @param status pending or confirmed
 * @param delivery what happened to the code
 * @param codeHash keyed hash of the code; present only when a valid code exists
 * @param failedAttempts wrong codes so far
 * @param createdAt when the challenge was made
 * @param expiresAt when the code stops being accepted (for a pending challenge)
 * @param confirmation the session the challenge was confirmed into, once confirmed
 */
public record Challenge(
        String id,
        AddressKey address,
        Optional<EmailAddress> email,
        ChallengeStatus status,
        DeliveryState delivery,
        Optional<String> codeHash,
        int failedAttempts,
        Instant createdAt,
        Instant expiresAt,
        Optional<Confirmation> confirmation) {

    public Challenge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(codeHash, "codeHash");
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MILLIS);
        Objects.requireNonNull(confirmation, "confirmation");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("challenge id must not be empty");
        }
        if (failedAttempts < 0) {
            throw new IllegalArgumentException("failed attempts must not be negative");
        }
        if (codeHash.isPresent() && delivery != DeliveryState.SENT) {
            throw new IllegalArgumentException("only a sent challenge has a code hash");
        }
        if (email.isPresent() != (delivery == DeliveryState.SENT || delivery == DeliveryState.FAILED)) {
            throw new IllegalArgumentException("a challenge keeps its address exactly when a code was made for it");
        }
        if ((status == ChallengeStatus.CONFIRMED_PENDING_EXPIRE) != confirmation.isPresent()) {
            throw new IllegalArgumentException("a challenge has a confirmation exactly when it is confirmed");
        }
    }

    /** A new pending challenge whose code was handed to the mail service. */
    public static Challenge sent(String id, AddressKey address, EmailAddress email, String codeHash, Instant createdAt,
            Instant expiresAt) {
        return new Challenge(id, address, Optional.of(email), ChallengeStatus.PENDING_CONFIRMATION,
                DeliveryState.SENT, Optional.of(codeHash), 0, createdAt, expiresAt, Optional.empty());
    }

    /** A new pending challenge for which no code was made (throttled or suppressed): it can never be confirmed. */
    public static Challenge withoutCode(
            String id, AddressKey address, DeliveryState delivery, Instant createdAt, Instant expiresAt) {
        if (delivery != DeliveryState.THROTTLED && delivery != DeliveryState.SUPPRESSED) {
            throw new IllegalArgumentException("only throttled and suppressed challenges are made without a code");
        }
        return new Challenge(id, address, Optional.empty(), ChallengeStatus.PENDING_CONFIRMATION, delivery,
                Optional.empty(), 0, createdAt, expiresAt, Optional.empty());
    }

    /** This challenge with one more failed attempt. */
    public Challenge withFailedAttempt() {
        return new Challenge(id, address, email, status, delivery, codeHash, failedAttempts + 1, createdAt, expiresAt,
                confirmation);
    }

    /** This challenge confirmed into the given session. */
    public Challenge confirmedAs(Confirmation confirmedSession) {
        return new Challenge(id, address, email, ChallengeStatus.CONFIRMED_PENDING_EXPIRE, delivery, codeHash,
                failedAttempts, createdAt, expiresAt, Optional.of(confirmedSession));
    }

    /**
     * This challenge with its code discarded, so that no code can ever match: {@link DeliveryState#FAILED} keeps the
     * address (the mail was attempted), {@link DeliveryState#SUPPRESSED} drops it (the user is blocked).
     */
    public Challenge withCodeDiscarded(DeliveryState why) {
        if (why != DeliveryState.FAILED && why != DeliveryState.SUPPRESSED) {
            throw new IllegalArgumentException("a code is discarded because delivery failed or was suppressed");
        }
        return new Challenge(id, address, why == DeliveryState.FAILED ? email : Optional.empty(), status, why,
                Optional.empty(), failedAttempts, createdAt, expiresAt, confirmation);
    }

    /** Whether the code lifetime has ended; only meaningful while pending. */
    public boolean isExpiredAt(Instant now) {
        return status == ChallengeStatus.PENDING_CONFIRMATION && !now.isBefore(expiresAt);
    }

    /** The session a confirmed challenge created. */
    public record Confirmation(String deviceSessionId, String userId) {
        public Confirmation {
            Objects.requireNonNull(deviceSessionId, "deviceSessionId");
            Objects.requireNonNull(userId, "userId");
        }
    }
}
