package io.authsession.core.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * A device session: what a confirmed login created and what the gateway authenticates against.
 *
 * <p>Every change increments {@code revision}, which orders the gateway projection.
 *
 * @param id opaque device session id, minted by the session store
 * @param userId the owner
 * @param status active or revoked
 * @param createdAt when the login was confirmed
 * @param revision 1 when created, incremented by every change
 * @param revokedAt when it was revoked, once revoked
 * @param revokeReason why it was revoked, once revoked
 * @param deviceName the name the client gave, if any
 * @param clientPublicKey the client's Ed25519 public key, standard base64, if any
 */
public record DeviceSession(
        String id,
        String userId,
        SessionStatus status,
        Instant createdAt,
        long revision,
        Optional<Instant> revokedAt,
        Optional<String> revokeReason,
        Optional<String> deviceName,
        Optional<String> clientPublicKey) {

    /** The order of listings: newest first, the id breaking ties so that the order is total. */
    public static final Comparator<DeviceSession> NEWEST_FIRST =
            Comparator.comparing(DeviceSession::createdAt).thenComparing(DeviceSession::id).reversed();

    public DeviceSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        revokedAt = Objects.requireNonNull(revokedAt, "revokedAt").map(at -> at.truncatedTo(ChronoUnit.MILLIS));
        Objects.requireNonNull(revokeReason, "revokeReason");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(clientPublicKey, "clientPublicKey");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be at least 1");
        }
        boolean revoked = status == SessionStatus.REVOKED;
        if (revoked != revokedAt.isPresent() || revoked != revokeReason.isPresent()) {
            throw new IllegalArgumentException("a session has a revocation time and reason exactly when it is revoked");
        }
    }

    /** A new active session at revision 1. */
    public static DeviceSession active(
            String id, String userId, Instant createdAt, Optional<String> deviceName, Optional<String> clientPublicKey) {
        return new DeviceSession(id, userId, SessionStatus.ACTIVE, createdAt, 1, Optional.empty(), Optional.empty(),
                deviceName, clientPublicKey);
    }

    /** Whether the session may still authenticate. */
    public boolean isActive() {
        return status == SessionStatus.ACTIVE;
    }

    /**
     * This session revoked at {@code at} for {@code reason}, one revision later. A revoked session is returned
     * unchanged: the first time and reason are kept.
     */
    public DeviceSession revokedAt(Instant at, String reason) {
        if (!isActive()) {
            return this;
        }
        return new DeviceSession(id, userId, SessionStatus.REVOKED, createdAt, revision + 1, Optional.of(at),
                Optional.of(reason), deviceName, clientPublicKey);
    }
}
