package io.authsession.core;

import io.authsession.core.error.AuthSessionException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A confirm-email-code request, validated.
 *
 * @param challengeId the challenge, 1 to 128 characters
 * @param code exactly six ASCII digits
 * @param clientPublicKey an Ed25519 public key (32 bytes) in base64, standard or URL-safe, padding optional;
 *     kept in standard base64 with padding
 * @param deviceName at most 128 characters
 */
public record ConfirmRequest(
        String challengeId, String code, Optional<String> clientPublicKey, Optional<String> deviceName) {
    static final int MAX_CHALLENGE_ID_LENGTH = 128;
    static final int MAX_DEVICE_NAME_LENGTH = 128;
    static final int PUBLIC_KEY_BYTES = 32;

    /**
     * Validates every field.
     *
     * @throws AuthSessionException with {@code invalid_request} naming the field and the rule
     */
    public ConfirmRequest {
        Objects.requireNonNull(clientPublicKey, "clientPublicKey");
        Objects.requireNonNull(deviceName, "deviceName");
        if (challengeId == null || challengeId.isEmpty()) {
            throw AuthSessionException.invalidRequest("challenge_id", "is required");
        }
        if (challengeId.length() > MAX_CHALLENGE_ID_LENGTH) {
            throw AuthSessionException.invalidRequest(
                    "challenge_id", "must be at most " + MAX_CHALLENGE_ID_LENGTH + " characters");
        }
        if (code == null) {
            throw AuthSessionException.invalidRequest("code", "is required");
        }
        if (!code.matches("[0-9]{6}")) {
            throw AuthSessionException.invalidRequest("code", "must be a string of exactly 6 digits");
        }
        clientPublicKey = clientPublicKey.map(ConfirmRequest::canonicalPublicKey);
        if (deviceName.isPresent() && deviceName.get().length() > MAX_DEVICE_NAME_LENGTH) {
            throw AuthSessionException.invalidRequest(
                    "device_name", "must be at most " + MAX_DEVICE_NAME_LENGTH + " characters");
        }
    }

    /** A request with only the challenge and the code. */
    public static ConfirmRequest of(String challengeId, String code) {
        return new ConfirmRequest(challengeId, code, Optional.empty(), Optional.empty());
    }

    private static String canonicalPublicKey(String base64) {
        String unpadded = base64.endsWith("==") ? base64.substring(0, base64.length() - 2)
                : base64.endsWith("=") ? base64.substring(0, base64.length() - 1) : base64;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(unpadded.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw AuthSessionException.invalidRequest("client_public_key", "must be base64");
        }
        if (key.length != PUBLIC_KEY_BYTES) {
            throw AuthSessionException.invalidRequest(
                    "client_public_key", "must be " + PUBLIC_KEY_BYTES + " bytes (an Ed25519 public key), got " + key.length);
        }
        return Base64.getEncoder().encodeToString(key);
    }
}
