package io.authsession.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.domain.RuntimeSettings.Setting;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {

    @Test
    @DisplayName("the contract defaults apply when no variable is set")
    void defaults() {
        assertThat(RuntimeSettings.fromEnvironment(Map.of())).isEqualTo(
                new RuntimeSettings(Duration.ofMinutes(10), 5, Duration.ofMinutes(1), 0));
    }

    @Test
    @DisplayName("every variable is read")
    void environment() {
        assertThat(RuntimeSettings.fromEnvironment(Map.of(
                "AUTHSESSION_CHALLENGE_TTL", "5m",
                "AUTHSESSION_CHALLENGE_MAX_ATTEMPTS", "3",
                "AUTHSESSION_RESEND_COOLDOWN", "30s",
                "AUTHSESSION_MAX_ACTIVE_SESSIONS_PER_USER", "4")))
                .isEqualTo(new RuntimeSettings(Duration.ofMinutes(5), 3, Duration.ofSeconds(30), 4));
    }

    @Test
    @DisplayName("an empty variable is unset, like every other variable")
    void emptyIsUnset() {
        assertThat(RuntimeSettings.fromEnvironment(Map.of("AUTHSESSION_CHALLENGE_TTL", "", "AUTHSESSION_RESEND_COOLDOWN", "")))
                .isEqualTo(RuntimeSettings.DEFAULTS);
    }

    @Test
    @DisplayName("a duration too long for the hash field falls back alone, leaving the other fields in force")
    void overflowInHash() {
        Map<Setting, String> reported = new HashMap<>();
        RuntimeSettings settings = RuntimeSettings.DEFAULTS.overriddenBy(
                Map.of("challenge_ttl", "3000000h", "challenge_max_attempts", "3"), reported::put);
        assertThat(settings.challengeMaxAttempts()).isEqualTo(3);
        assertThat(settings.challengeTtl()).isEqualTo(RuntimeSettings.DEFAULTS.challengeTtl());
        assertThat(reported).containsOnlyKeys(Setting.CHALLENGE_TTL);
    }

    @Test
    @DisplayName("an invalid variable is named in the error")
    void invalidVariable() {
        assertThatThrownBy(() -> RuntimeSettings.fromEnvironment(Map.of("AUTHSESSION_CHALLENGE_TTL", "10 minutes")))
                .hasMessageStartingWith("AUTHSESSION_CHALLENGE_TTL: ");
        assertThatThrownBy(() -> RuntimeSettings.fromEnvironment(Map.of("AUTHSESSION_MAX_ACTIVE_SESSIONS_PER_USER", "-1")))
                .hasMessageStartingWith("AUTHSESSION_MAX_ACTIVE_SESSIONS_PER_USER: ")
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> RuntimeSettings.fromEnvironment(Map.of("AUTHSESSION_CHALLENGE_MAX_ATTEMPTS", "0")))
                .hasMessageStartingWith("AUTHSESSION_CHALLENGE_MAX_ATTEMPTS: ");
    }

    @Test
    @DisplayName("hash fields override, and invalid ones are reported and ignored")
    void overlay() {
        Map<Setting, String> reported = new HashMap<>();
        RuntimeSettings settings = RuntimeSettings.DEFAULTS.overriddenBy(
                Map.of("challenge_ttl", "0s", "resend_cooldown", "0", "challenge_max_attempts", "x"),
                reported::put);
        assertThat(settings).isEqualTo(new RuntimeSettings(Duration.ofMinutes(10), 5, Duration.ZERO, 0));
        assertThat(reported).containsOnlyKeys(Setting.CHALLENGE_TTL, Setting.CHALLENGE_MAX_ATTEMPTS);
    }
}
