package io.authsession.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoginCodesTest {
    private final SecureRandom random = new SecureRandom();
    private final CodeHashKey keyA = CodeHashKey.random(random);
    private final CodeHashKey keyB = CodeHashKey.random(random);

    @Test
    @DisplayName("codes are six decimal digits and spread over the whole range")
    void codes() {
        LoginCodes codes = new LoginCodes(keyA, Optional.empty(), random);
        Set<Character> firstDigits = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String code = codes.newCode();
            assertThat(code).matches("[0-9]{6}");
            firstDigits.add(code.charAt(0));
        }
        assertThat(firstDigits).hasSize(10);
    }

    @Test
    @DisplayName("the stored hash is not the code, and depends on the challenge and the key")
    void hash() {
        LoginCodes codes = new LoginCodes(keyA, Optional.empty(), random);
        String hash = codes.hash("c1", "042917");
        assertThat(hash).hasSize(64).doesNotContain("042917");
        assertThat(codes.hash("c2", "042917")).isNotEqualTo(hash);
        assertThat(new LoginCodes(keyB, Optional.empty(), random).hash("c1", "042917")).isNotEqualTo(hash);
    }

    @Test
    @DisplayName("a code matches under the current key, and under the previous key after a rotation")
    void rotation() {
        String hashUnderA = new LoginCodes(keyA, Optional.empty(), random).hash("c1", "042917");
        assertThat(new LoginCodes(keyA, Optional.empty(), random).matches("c1", "042917", Optional.of(hashUnderA))).isTrue();
        assertThat(new LoginCodes(keyB, Optional.of(keyA), random).matches("c1", "042917", Optional.of(hashUnderA))).isTrue();
        assertThat(new LoginCodes(keyB, Optional.empty(), random).matches("c1", "042917", Optional.of(hashUnderA))).isFalse();
    }

    @Test
    @DisplayName("a wrong code, another challenge, a missing hash or a garbled hash never match")
    void mismatches() {
        LoginCodes codes = new LoginCodes(keyA, Optional.of(keyB), random);
        String hash = codes.hash("c1", "042917");
        assertThat(codes.matches("c1", "042918", Optional.of(hash))).isFalse();
        assertThat(codes.matches("c2", "042917", Optional.of(hash))).isFalse();
        assertThat(codes.matches("c1", "042917", Optional.empty())).isFalse();
        assertThat(codes.matches("c1", "042917", Optional.of("zz"))).isFalse();
    }
}
