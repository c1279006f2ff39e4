package io.authsession.core;

import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key for the HMAC-SHA256 hash under which login codes are stored. Its {@link #toString()} shows only the
 * fingerprint.
 */
public final class CodeHashKey {
    private static final String HMAC = "HmacSHA256";
    /** The shortest key accepted, in bytes. */
    public static final int MIN_LENGTH = 32;

    private final byte[] key;

    private CodeHashKey(byte[] key) {
        if (key.length < MIN_LENGTH) {
            throw new IllegalArgumentException("a code hash key must be at least " + MIN_LENGTH + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    /** A key from raw bytes (at least 32). */
    public static CodeHashKey of(byte[] key) {
        return new CodeHashKey(Objects.requireNonNull(key, "key"));
    }

    /**
     * A key from standard base64 text.
     *
     * @throws IllegalArgumentException when the text is not base64 or decodes to fewer than 32 bytes
     */
    public static CodeHashKey fromBase64(String base64) {
        Objects.requireNonNull(base64, "base64");
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not valid base64", e);
        }
        return new CodeHashKey(decoded);
    }

    /** A fresh random key of 32 bytes, for a single development process. */
    public static CodeHashKey random(SecureRandom random) {
        byte[] key = new byte[MIN_LENGTH];
        random.nextBytes(key);
        return new CodeHashKey(key);
    }

    /** The first 8 hex digits of the SHA-256 of the key: safe to log, enough to tell keys apart. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /**
     * A short keyed fingerprint of {@code value} (a session id, an address), safe to log in its place: the first 12
     * hex digits of HMAC-SHA256 under a key derived from this one. The same value always gives the same fingerprint
     * under one key, so an operator who knows a value can compute it and grep ({@code admin code-key fingerprint}).
     */
    public String fingerprintOf(String value) {
        Objects.requireNonNull(value, "value");
        return HexFormat.of().formatHex(derivedHmac("authsession log fingerprint v1", value), 0, 6);
    }

    /**
     * The keyed hash that names an address's state in a store (CONTRACT §7: no key name holds an address in clear):
     * 128 bits of HMAC-SHA256 of the normalised address under a key derived from this one, URL-safe base64. Rotating
     * the code hash key therefore starts every address afresh: open resend windows and failed-guess windows are
     * forgotten (each lasts at most one window anyway).
     */
    public AddressKey addressKeyOf(EmailAddress email) {
        Objects.requireNonNull(email, "email");
        byte[] hash = derivedHmac("authsession address key v1", email.value());
        return new AddressKey(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16)));
    }

    /** HMAC-SHA256 of {@code value} under the key {@code HMAC(this key, purpose)}, one key per purpose. */
    private byte[] derivedHmac(String purpose, String value) {
        try {
            Mac derive = Mac.getInstance(HMAC);
            derive.init(new SecretKeySpec(key, HMAC));
            byte[] purposeKey = derive.doFinal(utf8(purpose));
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(purposeKey, HMAC));
            return mac.doFinal(utf8(value));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    byte[] bytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CodeHashKey that && MessageDigest.isEqual(key, that.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "CodeHashKey[fingerprint=" + fingerprint() + "]";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
