package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.port.ConfigProvider;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ConfigProvider} must have: fields of the runtime settings hash override the
 * environment defaults, invalid ones fall back, and changes show within five seconds of the clock.
 */
public abstract class ConfigProviderContract {
    /** The longest a change may take to be seen (CONTRACT §5). */
    protected static final Duration PROPAGATION = Duration.ofSeconds(5);
    /** Defaults unlike the contract's, so that a provider ignoring them is caught. */
    protected static final RuntimeSettings DEFAULTS = new RuntimeSettings(Duration.ofMinutes(7), 4,
            Duration.ofSeconds(45), 3, Duration.ofHours(100), Duration.ofHours(2), 12, Duration.ofMinutes(30));

    protected MutableClock clock;
    protected ConfigProvider provider;

    /** A provider with these environment defaults, reading a settings hash that starts empty. */
    protected abstract ConfigProvider createProvider(Clock clock, RuntimeSettings defaults);

    /** Writes one field of the settings hash, as an operator would. */
    protected abstract void writeField(String field, String value);

    /** Deletes one field of the settings hash. */
    protected abstract void deleteField(String field);

    @BeforeEach
    void createProviderUnderTest() {
        clock = MutableClock.create();
        provider = createProvider(clock, DEFAULTS);
    }

    private RuntimeSettings afterPropagation() {
        clock.advance(PROPAGATION);
        return provider.current();
    }

    @Test
    @DisplayName("with no fields, the environment defaults apply")
    void defaults() {
        assertThat(provider.current()).isEqualTo(DEFAULTS);
    }

    @Test
    @DisplayName("every field overrides its default")
    void everyField() {
        writeField(Setting.CHALLENGE_TTL.field(), "30s");
        writeField(Setting.CHALLENGE_MAX_ATTEMPTS.field(), "3");
        writeField(Setting.RESEND_COOLDOWN.field(), "1m30s");
        writeField(Setting.MAX_ACTIVE_SESSIONS_PER_USER.field(), "10");
        writeField(Setting.SESSION_MAX_LIFETIME.field(), "0");
        writeField(Setting.SESSION_IDLE_TIMEOUT.field(), "15m");
        writeField(Setting.ADDRESS_MAX_FAILED_ATTEMPTS.field(), "50");
        writeField(Setting.ADDRESS_FAILED_ATTEMPTS_WINDOW.field(), "2h");
        assertThat(afterPropagation()).isEqualTo(new RuntimeSettings(Duration.ofSeconds(30), 3,
                Duration.ofSeconds(90), 10, Duration.ZERO, Duration.ofMinutes(15), 50, Duration.ofHours(2)));
    }

    @Test
    @DisplayName("a change becomes visible within five seconds without a restart")
    void changesPropagate() {
        assertThat(provider.current().challengeMaxAttempts()).isEqualTo(4);
        writeField(Setting.CHALLENGE_MAX_ATTEMPTS.field(), "9");
        assertThat(afterPropagation().challengeMaxAttempts()).isEqualTo(9);
        writeField(Setting.CHALLENGE_MAX_ATTEMPTS.field(), "2");
        assertThat(afterPropagation().challengeMaxAttempts()).isEqualTo(2);
    }

    @Test
    @DisplayName("an invalid field falls back to its default without hiding valid ones")
    void invalidFallsBack() {
        writeField(Setting.CHALLENGE_TTL.field(), "ten minutes");
        writeField(Setting.CHALLENGE_MAX_ATTEMPTS.field(), "0");
        writeField(Setting.RESEND_COOLDOWN.field(), "-5s");
        writeField(Setting.MAX_ACTIVE_SESSIONS_PER_USER.field(), "2");
        RuntimeSettings settings = afterPropagation();
        assertThat(settings.challengeTtl()).isEqualTo(DEFAULTS.challengeTtl());
        assertThat(settings.challengeMaxAttempts()).isEqualTo(DEFAULTS.challengeMaxAttempts());
        assertThat(settings.resendCooldown()).isEqualTo(DEFAULTS.resendCooldown());
        assertThat(settings.maxActiveSessionsPerUser()).isEqualTo(2);
    }

    @Test
    @DisplayName("a deleted field falls back to its default again")
    void deletedFallsBack() {
        writeField(Setting.CHALLENGE_TTL.field(), "500ms");
        assertThat(afterPropagation().challengeTtl()).isEqualTo(Duration.ofMillis(500));
        deleteField(Setting.CHALLENGE_TTL.field());
        assertThat(afterPropagation().challengeTtl()).isEqualTo(DEFAULTS.challengeTtl());
    }

    @Test
    @DisplayName("unknown fields are ignored")
    void unknownIgnored() {
        writeField("max_sessions", "1");
        assertThat(afterPropagation()).isEqualTo(DEFAULTS);
    }

    @Test
    @DisplayName("ping answers when the medium is up")
    void ping() {
        assertThatCode(provider::ping).doesNotThrowAnyException();
    }
}
