package io.authsession.core;

import io.authsession.core.port.TypedCode;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Makes six-digit codes and checks them against their keyed hash, under the current and the previous key. */
final class LoginCodes {
    private static final String HMAC = "HmacSHA256";

    private final CodeHashKey current;
    private final Optional<CodeHashKey> previous;
    private final SecureRandom random;

    LoginCodes(CodeHashKey current, Optional<CodeHashKey> previous, SecureRandom random) {
        this.current = current;
        this.previous = previous;
        this.random = random;
    }

    String newCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    /** The hash stored for a code: HMAC-SHA256 over the challenge id and the code, hex. */
    String hash(String challengeId, String code) {
        return HexFormat.of().formatHex(hmac(current, challengeId, code));
    }

    /**
     * The hashes a typed code would have been stored under, with the current key and the previous one: a store
     * compares them with the stored hash, so the key never leaves the process.
     */
    TypedCode typed(String challengeId, String code) {
        return new TypedCode(HexFormat.of().formatHex(hmac(current, challengeId, code)),
                previous.map(key -> HexFormat.of().formatHex(hmac(key, challengeId, code))));
    }

    /** Whether the code matches the stored hash under either key. Both keys are always tried, in constant time. */
    boolean matches(String challengeId, String code, Optional<String> storedHash) {
        byte[] stored = storedHash.map(LoginCodes::parseHex).orElse(new byte[32]);
        boolean matchesCurrent = MessageDigest.isEqual(stored, hmac(current, challengeId, code));
        boolean matchesPrevious = previous.isPresent()
                && MessageDigest.isEqual(stored, hmac(previous.get(), challengeId, code));
        // A challenge without a code hash never matches, whatever the all-zero placeholder compares to.
        return storedHash.isPresent() & (matchesCurrent | matchesPrevious);
    }

    private static byte[] parseHex(String hex) {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] hmac(CodeHashKey key, String challengeId, String code) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key.bytes(), HMAC));
            mac.update(CodeHashKey.utf8(challengeId));
            mac.update((byte) ':');
            return mac.doFinal(CodeHashKey.utf8(code));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }
}
