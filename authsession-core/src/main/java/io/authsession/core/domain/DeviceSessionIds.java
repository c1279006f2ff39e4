package io.authsession.core.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Device session ids: 128 random bits behind a four-character owner hint.
 *
 * <p>The hint is a hash of the user id (not the id itself). It lets a store keep all sessions of a user
 * together, for example in one Redis Cluster hash slot, and still find a session from its id alone,
 * without a lookup table. The id stays opaque to clients.
 */
public final class DeviceSessionIds {
    /** Length of every id this class makes. */
    public static final int LENGTH = 26;
    private static final int HINT_LENGTH = 4;
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private DeviceSessionIds() {}

    /** A new session id for a session of {@code userId}. */
    public static String generate(String userId, SecureRandom random) {
        byte[] randomBits = new byte[16];
        random.nextBytes(randomBits);
        return ownerHint(userId) + URL_SAFE.encodeToString(randomBits);
    }

    /** The hint every session id of {@code userId} starts with. */
    public static String ownerHint(String userId) {
        Objects.requireNonNull(userId, "userId");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return URL_SAFE.encodeToString(java.util.Arrays.copyOf(digest, 3));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The hint of a session id; ids shorter than a hint are their own hint (and match no user). */
    public static String ownerHintOf(String deviceSessionId) {
        return deviceSessionId.length() < HINT_LENGTH ? deviceSessionId : deviceSessionId.substring(0, HINT_LENGTH);
    }

    /** Whether the id was made for a session of {@code userId}. */
    public static boolean belongsTo(String deviceSessionId, String userId) {
        return deviceSessionId.length() == LENGTH && ownerHintOf(deviceSessionId).equals(ownerHint(userId));
    }
}
