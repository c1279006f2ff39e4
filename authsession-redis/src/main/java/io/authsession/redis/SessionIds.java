package io.authsession.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Device session ids as this store mints them: a four-character owner hint, then 128 random bits.
 *
 * <p>The hint is a hash of the user id (not the id itself). It keeps all of a user's keys in one Redis Cluster hash
 * slot, and still lets a session's keys be found from its id alone, without a lookup table. The id stays opaque to
 * clients.
 */
final class SessionIds {
    /** Length of every id this class makes. */
    static final int LENGTH = 26;
    private static final int HINT_LENGTH = 4;
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private SessionIds() {}

    /** A new session id for a session of {@code userId}. */
    static String newId(String userId, SecureRandom random) {
        byte[] randomBits = new byte[16];
        random.nextBytes(randomBits);
        return ownerHint(userId) + URL_SAFE.encodeToString(randomBits);
    }

    /** The hint every session id of {@code userId} starts with. */
    static String ownerHint(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return URL_SAFE.encodeToString(Arrays.copyOf(digest, 3));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The hint of a session id; ids shorter than a hint are their own hint (and match no user). */
    static String ownerHintOf(String deviceSessionId) {
        return deviceSessionId.length() < HINT_LENGTH ? deviceSessionId : deviceSessionId.substring(0, HINT_LENGTH);
    }

    /** Whether the id was made for a session of {@code userId}. */
    static boolean belongsTo(String deviceSessionId, String userId) {
        return deviceSessionId.length() == LENGTH && ownerHintOf(deviceSessionId).equals(ownerHint(userId));
    }
}
