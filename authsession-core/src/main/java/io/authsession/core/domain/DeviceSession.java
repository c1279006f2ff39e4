package io.authsession.core.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * A device session: what a confirmed login created and what the gateway authenticates against.
 *
 * <p>Every change increments {@code revision}, which orders the gateway projection. Stores keep {@code active} and
 * {@code revoked}; a session read past its {@code expiresAt} by the service clock is presented as {@code expired}
 * ({@link #seenAt}).
 *
 * @param id opaque device session id, minted by the session store
 * @param userId the owner
 * @param status active, revoked or expired
 * @param createdAt when the login was confirmed
 * @param expiresAt when it stops being active unless extended; absent for a session created without a lifetime
 * @param lifetimeCap the absolute cap fixed at creation ({@code created_at + session_max_lifetime}), which no
 *     extension passes; absent when there was no maximum lifetime
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
        Optional<Instant> expiresAt,
        Optional<Instant> lifetimeCap,
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
        createdAt = millis(Objects.requireNonNull(createdAt, "createdAt"));
        expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").map(DeviceSession::millis);
        lifetimeCap = Objects.requireNonNull(lifetimeCap, "lifetimeCap").map(DeviceSession::millis);
        revokedAt = Objects.requireNonNull(revokedAt, "revokedAt").map(DeviceSession::millis);
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
        if (status == SessionStatus.EXPIRED && expiresAt.isEmpty()) {
            throw new IllegalArgumentException("only a session with an expiry time can be expired");
        }
        if (lifetimeCap.isPresent() && expiresAt.isPresent() && expiresAt.get().isAfter(lifetimeCap.get())) {
            throw new IllegalArgumentException("a session never expires after its lifetime cap");
        }
    }

    /** A new active session at revision 1 without a lifetime (both lifetime settings off). */
    public static DeviceSession active(
            String id, String userId, Instant createdAt, Optional<String> deviceName, Optional<String> clientPublicKey) {
        return new DeviceSession(id, userId, SessionStatus.ACTIVE, createdAt, Optional.empty(), Optional.empty(), 1,
                Optional.empty(), Optional.empty(), deviceName, clientPublicKey);
    }

    /** A new active session at revision 1 with the lifetime in force at its creation (CONTRACT §3.1). */
    public static DeviceSession active(String id, String userId, Instant createdAt, RuntimeSettings lifetime,
            Optional<String> deviceName, Optional<String> clientPublicKey) {
        Instant created = millis(createdAt);
        Optional<Instant> cap = lifetime.sessionMaxLifetime().isZero()
                ? Optional.empty() : Optional.of(created.plus(lifetime.sessionMaxLifetime()));
        Optional<Instant> idle = lifetime.sessionIdleTimeout().isZero()
                ? Optional.empty() : Optional.of(created.plus(lifetime.sessionIdleTimeout()));
        Optional<Instant> expiresAt = idle.map(at -> cap.filter(c -> c.isBefore(at)).orElse(at)).or(() -> cap);
        return new DeviceSession(id, userId, SessionStatus.ACTIVE, created, expiresAt, cap, 1, Optional.empty(),
                Optional.empty(), deviceName, clientPublicKey);
    }

    /** Whether the session may still authenticate: active and, by {@code now}, not past its expiry. */
    public boolean isActiveAt(Instant now) {
        return status == SessionStatus.ACTIVE && expiresAt.filter(at -> !now.isBefore(at)).isEmpty();
    }

    /** This session as a reader sees it at {@code now}: an active one past its expiry is {@code expired}. */
    public DeviceSession seenAt(Instant now) {
        if (status != SessionStatus.ACTIVE || isActiveAt(now)) {
            return this;
        }
        return new DeviceSession(id, userId, SessionStatus.EXPIRED, createdAt, expiresAt, lifetimeCap, revision,
                revokedAt, revokeReason, deviceName, clientPublicKey);
    }

    /**
     * This session revoked at {@code at} for {@code reason}, one revision later. A session that is not active at
     * {@code at} (revoked, or expired) is returned unchanged: the first time and reason are kept.
     */
    public DeviceSession revokedAt(Instant at, String reason) {
        if (!isActiveAt(at)) {
            return this;
        }
        return new DeviceSession(id, userId, SessionStatus.REVOKED, createdAt, expiresAt, lifetimeCap, revision + 1,
                Optional.of(millis(at)), Optional.of(reason), deviceName, clientPublicKey);
    }

    /**
     * Where an extension at {@code now} by {@code idleTimeout} would move the expiry: {@code min(now + idle, cap)};
     * empty when it would not move it forward by at least {@code minimumMove} (or the idle timeout is off, or the
     * session is not active at {@code now}).
     */
    public Optional<Instant> extensionAt(Instant now, java.time.Duration idleTimeout, java.time.Duration minimumMove) {
        if (idleTimeout.isZero() || !isActiveAt(now) || expiresAt.isEmpty()) {
            return Optional.empty();
        }
        Instant wanted = millis(now.plus(idleTimeout));
        Instant target = lifetimeCap.filter(cap -> cap.isBefore(wanted)).orElse(wanted);
        return target.isBefore(expiresAt.get().plus(minimumMove)) ? Optional.empty() : Optional.of(target);
    }

    /** This session with its expiry moved to {@code newExpiresAt}, one revision later. */
    public DeviceSession extendedTo(Instant newExpiresAt) {
        return new DeviceSession(id, userId, status, createdAt, Optional.of(millis(newExpiresAt)), lifetimeCap,
                revision + 1, revokedAt, revokeReason, deviceName, clientPublicKey);
    }

    private static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
