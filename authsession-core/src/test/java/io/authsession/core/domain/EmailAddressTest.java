package io.authsession.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @ParameterizedTest(name = "[{0}] is accepted as [{1}]")
    @CsvSource(delimiter = '|', value = {
        "user@example.com           | user@example.com",
        "User@Example.COM           | user@example.com",
        "'  user@example.com \t'    | user@example.com",
        "first.last+tag@sub.example.co.uk | first.last+tag@sub.example.co.uk",
        "a@b.c                      | a@b.c",
        "ÜSER@EXAMPLE.COM           | üser@example.com",
        "o'brien@example.ie         | o'brien@example.ie",
    })
    void accepted(String raw, String normalised) {
        assertThat(EmailAddress.parse(raw).value()).isEqualTo(normalised);
    }

    @Test
    @DisplayName("a decomposed accent is composed (NFC), so both spellings are one identity")
    void nfc() {
        String decomposed = "jose\u0301@example.com";
        String composed = "jos\u00e9@example.com";
        assertThat(EmailAddress.parse(decomposed)).isEqualTo(EmailAddress.parse(composed));
        assertThat(EmailAddress.parse(decomposed).value()).isEqualTo(composed);
    }

    @Test
    @DisplayName("lower-casing does not depend on the default locale (no Turkish dotless i)")
    void localeIndependent() {
        java.util.Locale previous = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertThat(EmailAddress.parse("INFO@EXAMPLE.COM").value()).isEqualTo("info@example.com");
        } finally {
            java.util.Locale.setDefault(previous);
        }
    }

    @Test
    @DisplayName("a local part of exactly 64 characters and an address of exactly 254 are accepted")
    void limits() {
        assertThat(EmailAddress.parse("a".repeat(64) + "@example.com").value()).hasSize(76);
        String domain = "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(57) + ".com";
        String address = "a".repeat(64) + "@" + domain;
        assertThat(address).hasSize(254);
        assertThat(EmailAddress.parse(address).value()).isEqualTo(address);
    }

    @ParameterizedTest(name = "[{0}] is rejected: {1}")
    @CsvSource(delimiter = '|', value = {
        "''                         | is required",
        "'   '                      | is required",
        "userexample.com            | exactly one @",
        "user@@example.com          | exactly one @",
        "a@b@example.com            | exactly one @",
        "@example.com               | before @ must not be empty",
        "user@example               | two non-empty labels",
        "user@                      | two non-empty labels",
        "user@.com                  | two non-empty labels",
        "user@example.              | two non-empty labels",
        "user@example..com          | two non-empty labels",
        "us er@example.com          | white space",
        "user@exa mple.com          | white space",
        "'user\u00a0@example.com'   | white space",
        "'user\u0007@example.com'   | control characters",
    })
    void rejected(String raw, String rule) {
        assertThatThrownBy(() -> EmailAddress.parse(raw))
                .isInstanceOfSatisfying(AuthSessionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).startsWith("email: ").contains(rule);
                });
    }

    @Test
    @DisplayName("a local part of 65 characters is rejected")
    void localPartTooLong() {
        assertThatThrownBy(() -> EmailAddress.parse("a".repeat(65) + "@example.com"))
                .hasMessageContaining("at most 64");
    }

    @Test
    @DisplayName("an address of 255 characters is rejected")
    void tooLong() {
        String domain = "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(58) + ".com";
        String address = "a".repeat(64) + "@" + domain;
        assertThat(address).hasSize(255);
        assertThatThrownBy(() -> EmailAddress.parse(address)).hasMessageContaining("at most 254");
    }

    @Test
    @DisplayName("a missing address is rejected")
    void missing() {
        assertThatThrownBy(() -> EmailAddress.parse(null)).hasMessage("email: is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"User@example.com", " user@example.com"})
    @DisplayName("the constructor refuses a value that is not normalised")
    void constructorRequiresNormalised(String value) {
        assertThatThrownBy(() -> new EmailAddress(value)).isInstanceOf(AuthSessionException.class);
    }
}
