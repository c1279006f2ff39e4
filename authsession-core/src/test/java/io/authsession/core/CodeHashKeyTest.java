package io.authsession.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CodeHashKeyTest {

    @Test
    @DisplayName("the fingerprint is the first 8 hex digits of the key's SHA-256, and toString shows only it")
    void fingerprint() {
        CodeHashKey key = CodeHashKey.of(new byte[32]);
        // SHA-256 of 32 zero bytes is 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925.
        assertThat(key.fingerprint()).isEqualTo("66687aad");
        assertThat(key.toString()).isEqualTo("CodeHashKey[fingerprint=66687aad]");
    }

    @Test
    @DisplayName("keys shorter than 32 bytes and text that is not base64 are refused")
    void refused() {
        String short31 = Base64.getEncoder().encodeToString(new byte[31]);
        assertThatThrownBy(() -> CodeHashKey.fromBase64(short31)).hasMessageContaining("at least 32 bytes, got 31");
        assertThatThrownBy(() -> CodeHashKey.fromBase64("not base64!")).hasMessageContaining("not valid base64");
    }

    @Test
    @DisplayName("a base64 key equals the same raw key")
    void base64() {
        byte[] raw = new byte[48];
        raw[0] = 7;
        assertThat(CodeHashKey.fromBase64(Base64.getEncoder().encodeToString(raw))).isEqualTo(CodeHashKey.of(raw));
    }

    @Test
    @DisplayName("a value's log fingerprint is 12 hex digits, stable under one key, different under another, never the value")
    void logFingerprint() {
        CodeHashKey key = CodeHashKey.of(new byte[32]);
        byte[] otherBytes = new byte[32];
        otherBytes[0] = 1;
        String id = "B_nR2lHFr10TazBJcPAAowfvTw";
        assertThat(key.fingerprintOf(id)).matches("[0-9a-f]{12}").isEqualTo(key.fingerprintOf(id))
                .isNotEqualTo(key.fingerprintOf(id + "x"))
                .isNotEqualTo(CodeHashKey.of(otherBytes).fingerprintOf(id))
                .doesNotContain(id);
    }
}
