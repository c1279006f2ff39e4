package io.authsession.testkit;

import java.security.SecureRandom;
import java.util.Base64;

/** Ids of 128 random bits, URL-safe, as the in-memory stores mint them. */
final class RandomIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {}

    static String next() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }
}
