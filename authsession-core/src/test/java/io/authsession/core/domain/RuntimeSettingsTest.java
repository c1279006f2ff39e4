package io.authsession.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.error.InvalidSettingException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {

    @Test
    @DisplayName("the defaults are the contract's (§5)")
    void defaults() {
        assertThat(RuntimeSettings.DEFAULTS).isEqualTo(new RuntimeSettings(Duration.ofMinutes(10), 5,
                Duration.ofMinutes(1), 0, Duration.ofHours(720), Duration.ZERO, 20, Duration.ofHours(1)));
    }

    @Test
    @DisplayName("every setting is read from text and written back in the same form")
    void readAndWrite() {
        RuntimeSettings settings = RuntimeSettings.DEFAULTS
                .with(Setting.CHALLENGE_TTL, "5m")
                .with(Setting.CHALLENGE_MAX_ATTEMPTS, "3")
                .with(Setting.RESEND_COOLDOWN, "30s")
                .with(Setting.MAX_ACTIVE_SESSIONS_PER_USER, " 4 ")
                .with(Setting.SESSION_MAX_LIFETIME, "0")
                .with(Setting.SESSION_IDLE_TIMEOUT, "1h30m")
                .with(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "0")
                .with(Setting.ADDRESS_FAILED_ATTEMPTS_WINDOW, "15m");
        assertThat(settings).isEqualTo(new RuntimeSettings(Duration.ofMinutes(5), 3, Duration.ofSeconds(30), 4,
                Duration.ZERO, Duration.ofMinutes(90), 0, Duration.ofMinutes(15)));
        for (Setting setting : Setting.values()) {
            assertThat(RuntimeSettings.DEFAULTS.with(setting, settings.text(setting)).text(setting))
                    .isEqualTo(settings.text(setting));
        }
        assertThat(settings.text(Setting.SESSION_IDLE_TIMEOUT)).isEqualTo("1h30m");
        assertThat(settings.text(Setting.SESSION_MAX_LIFETIME)).isEqualTo("0");
    }

    @Test
    @DisplayName("an invalid value names the hash field and the rule, as fields of the exception")
    void invalid() {
        assertThatThrownBy(() -> RuntimeSettings.DEFAULTS.with(Setting.CHALLENGE_TTL, "10 minutes"))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo("challenge_ttl");
                    assertThat(e.rule()).contains("is not a duration");
                });
        assertThatThrownBy(() -> RuntimeSettings.DEFAULTS.with(Setting.MAX_ACTIVE_SESSIONS_PER_USER, "-1"))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.rule()).contains("must not be negative"));
        assertThatThrownBy(() -> RuntimeSettings.DEFAULTS.with(Setting.CHALLENGE_MAX_ATTEMPTS, "0"))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.setting()).isEqualTo("challenge_max_attempts"));
        assertThatThrownBy(() -> RuntimeSettings.DEFAULTS.with(Setting.ADDRESS_FAILED_ATTEMPTS_WINDOW, "0"))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.rule()).isEqualTo("must be longer than zero"));
        assertThatThrownBy(() -> RuntimeSettings.DEFAULTS.with(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "x"))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.rule()).isEqualTo("'x' is not a whole number"));
    }

    @Test
    @DisplayName("a setting is found by its hash field")
    void byField() {
        for (Setting setting : Setting.values()) {
            assertThat(Setting.ofField(setting.field())).contains(setting);
        }
        assertThat(Setting.ofField("challenge-ttl")).isEmpty();
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
    @DisplayName("hash fields override, and invalid ones are reported and ignored")
    void overlay() {
        Map<Setting, String> reported = new HashMap<>();
        RuntimeSettings settings = RuntimeSettings.DEFAULTS.overriddenBy(
                Map.of("challenge_ttl", "0s", "resend_cooldown", "0", "challenge_max_attempts", "x",
                        "session_idle_timeout", "10m"),
                reported::put);
        assertThat(settings).isEqualTo(RuntimeSettings.DEFAULTS.with(Setting.RESEND_COOLDOWN, "0")
                .with(Setting.SESSION_IDLE_TIMEOUT, "10m"));
        assertThat(reported).containsOnlyKeys(Setting.CHALLENGE_TTL, Setting.CHALLENGE_MAX_ATTEMPTS);
    }
}
