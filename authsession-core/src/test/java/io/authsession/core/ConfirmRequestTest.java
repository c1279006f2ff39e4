package io.authsession.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfirmRequestTest {
    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (250 - i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345", "1234567", "12345a", "١٢٣٤٥٦", " 123456", ""})
    @DisplayName("a code that is not exactly six ASCII digits is invalid")
    void badCodes(String code) {
        assertThatThrownBy(() -> ConfirmRequest.of("c1", code))
                .isInstanceOfSatisfying(AuthSessionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageStartingWith("code: ");
    }

    @Test
    @DisplayName("the challenge id is required and at most 128 characters")
    void challengeId() {
        assertThatThrownBy(() -> ConfirmRequest.of("", "123456")).hasMessage("challenge_id: is required");
        assertThatThrownBy(() -> ConfirmRequest.of(null, "123456")).hasMessage("challenge_id: is required");
        assertThatThrownBy(() -> ConfirmRequest.of("c".repeat(129), "123456")).hasMessageStartingWith("challenge_id: ");
        assertThat(ConfirmRequest.of("c".repeat(128), "012345").code()).isEqualTo("012345");
    }

    @Test
    @DisplayName("a public key in standard or URL-safe base64, padded or not, is kept in padded standard base64")
    void publicKeyAlphabets() {
        String standard = Base64.getEncoder().encodeToString(KEY);
        assertThat(standard).contains("+").contains("/");
        for (String form : new String[] {
            standard,
            Base64.getEncoder().withoutPadding().encodeToString(KEY),
            Base64.getUrlEncoder().encodeToString(KEY),
            Base64.getUrlEncoder().withoutPadding().encodeToString(KEY)}) {
            ConfirmRequest request = new ConfirmRequest("c1", "123456", Optional.of(form), Optional.empty());
            assertThat(request.clientPublicKey()).contains(standard);
        }
    }

    @Test
    @DisplayName("a public key of another length, or not base64, is invalid")
    void badPublicKeys() {
        String tooShort = Base64.getEncoder().encodeToString(new byte[31]);
        assertThatThrownBy(() -> new ConfirmRequest("c1", "123456", Optional.of(tooShort), Optional.empty()))
                .hasMessage("client_public_key: must be 32 bytes (an Ed25519 public key), got 31");
        assertThatThrownBy(() -> new ConfirmRequest("c1", "123456", Optional.of("***"), Optional.empty()))
                .hasMessage("client_public_key: must be base64");
    }

    @Test
    @DisplayName("a device name is at most 128 characters")
    void deviceName() {
        assertThat(new ConfirmRequest("c1", "123456", Optional.empty(), Optional.of("d".repeat(128))).deviceName())
                .contains("d".repeat(128));
        assertThatThrownBy(() -> new ConfirmRequest("c1", "123456", Optional.empty(), Optional.of("d".repeat(129))))
                .hasMessageStartingWith("device_name: ");
    }
}
