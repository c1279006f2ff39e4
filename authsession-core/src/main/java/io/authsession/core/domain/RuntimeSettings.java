package io.authsession.core.domain;

import io.authsession.core.error.InvalidSettingException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The settings that may change while the service runs (CONTRACT §5), each named by its field in the runtime settings
 * hash ({@link Setting}).
 *
 * @param challengeTtl lifetime of a login code
 * @param challengeMaxAttempts wrong codes accepted before the challenge locks
 * @param resendCooldown the per-address resend window; zero turns throttling off
 * @param maxActiveSessionsPerUser active sessions a user may hold; zero means no limit
 * @param sessionMaxLifetime the absolute lifetime of a new session; zero means none
 * @param sessionIdleTimeout how long a session lives without an extension; zero turns the idle timeout off
 * @param addressMaxFailedAttempts wrong codes per address in one window before the address locks; zero turns the
 *     budget off
 * @param addressFailedAttemptsWindow the fixed window the address budget counts in
 */
public record RuntimeSettings(
        Duration challengeTtl,
        int challengeMaxAttempts,
        Duration resendCooldown,
        int maxActiveSessionsPerUser,
        Duration sessionMaxLifetime,
        Duration sessionIdleTimeout,
        int addressMaxFailedAttempts,
        Duration addressFailedAttemptsWindow) {

    /**
     * The contract defaults: codes live {@code 10m} with {@code 5} attempts, a {@code 1m} resend window, no session
     * limit, sessions capped at {@code 720h} without idle timeout, {@code 20} failed guesses per address per
     * {@code 1h}.
     */
    public static final RuntimeSettings DEFAULTS = new RuntimeSettings(Duration.ofMinutes(10), 5, Duration.ofMinutes(1),
            0, Duration.ofHours(720), Duration.ZERO, 20, Duration.ofHours(1));

    public RuntimeSettings {
        positive(Setting.CHALLENGE_TTL, challengeTtl);
        atLeast(Setting.CHALLENGE_MAX_ATTEMPTS, challengeMaxAttempts, 1);
        notNegative(Setting.RESEND_COOLDOWN, resendCooldown);
        atLeast(Setting.MAX_ACTIVE_SESSIONS_PER_USER, maxActiveSessionsPerUser, 0);
        notNegative(Setting.SESSION_MAX_LIFETIME, sessionMaxLifetime);
        notNegative(Setting.SESSION_IDLE_TIMEOUT, sessionIdleTimeout);
        atLeast(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, addressMaxFailedAttempts, 0);
        positive(Setting.ADDRESS_FAILED_ATTEMPTS_WINDOW, addressFailedAttemptsWindow);
    }

    /** One runtime setting: its field in the runtime settings hash, how its text is read and written. */
    public enum Setting {
        CHALLENGE_TTL("challenge_ttl", RuntimeSettings::challengeTtl,
                (s, v) -> new RuntimeSettings(v, s.challengeMaxAttempts, s.resendCooldown, s.maxActiveSessionsPerUser,
                        s.sessionMaxLifetime, s.sessionIdleTimeout, s.addressMaxFailedAttempts,
                        s.addressFailedAttemptsWindow)),
        CHALLENGE_MAX_ATTEMPTS("challenge_max_attempts", RuntimeSettings::challengeMaxAttempts,
                (s, v) -> new RuntimeSettings(s.challengeTtl, v, s.resendCooldown, s.maxActiveSessionsPerUser,
                        s.sessionMaxLifetime, s.sessionIdleTimeout, s.addressMaxFailedAttempts,
                        s.addressFailedAttemptsWindow)),
        RESEND_COOLDOWN("resend_cooldown", RuntimeSettings::resendCooldown,
                (s, v) -> new RuntimeSettings(s.challengeTtl, s.challengeMaxAttempts, v, s.maxActiveSessionsPerUser,
                        s.sessionMaxLifetime, s.sessionIdleTimeout, s.addressMaxFailedAttempts,
                        s.addressFailedAttemptsWindow)),
        MAX_ACTIVE_SESSIONS_PER_USER("max_active_sessions_per_user", RuntimeSettings::maxActiveSessionsPerUser,
                (s, v) -> new RuntimeSettings(s.challengeTtl, s.challengeMaxAttempts, s.resendCooldown, v,
                        s.sessionMaxLifetime, s.sessionIdleTimeout, s.addressMaxFailedAttempts,
                        s.addressFailedAttemptsWindow)),
        SESSION_MAX_LIFETIME("session_max_lifetime", RuntimeSettings::sessionMaxLifetime,
                (s, v) -> new RuntimeSettings(s.challengeTtl, s.challengeMaxAttempts, s.resendCooldown,
                        s.maxActiveSessionsPerUser, v, s.sessionIdleTimeout, s.addressMaxFailedAttempts,
                        s.addressFailedAttemptsWindow)),
        SESSION_IDLE_TIMEOUT("session_idle_timeout", RuntimeSettings::sessionIdleTimeout,
                (s, v) -> new RuntimeSettings(s.challengeTtl, s.challengeMaxAttempts, s.resendCooldown,
                        s.maxActiveSessionsPerUser, s.sessionMaxLifetime, v, s.addressMaxFailedAttempts,
                        s.addressFailedAttemptsWindow)),
        ADDRESS_MAX_FAILED_ATTEMPTS("address_max_failed_attempts", RuntimeSettings::addressMaxFailedAttempts,
                (s, v) -> new RuntimeSettings(s.challengeTtl, s.challengeMaxAttempts, s.resendCooldown,
                        s.maxActiveSessionsPerUser, s.sessionMaxLifetime, s.sessionIdleTimeout, v,
                        s.addressFailedAttemptsWindow)),
        ADDRESS_FAILED_ATTEMPTS_WINDOW("address_failed_attempts_window", RuntimeSettings::addressFailedAttemptsWindow,
                (s, v) -> new RuntimeSettings(s.challengeTtl, s.challengeMaxAttempts, s.resendCooldown,
                        s.maxActiveSessionsPerUser, s.sessionMaxLifetime, s.sessionIdleTimeout,
                        s.addressMaxFailedAttempts, v));

        private final String field;
        private final Function<RuntimeSettings, Object> getter;
        private final BiFunction<RuntimeSettings, Object, RuntimeSettings> setter;

        @SuppressWarnings("unchecked")
        <T> Setting(String field, Function<RuntimeSettings, T> getter, BiFunction<RuntimeSettings, T, RuntimeSettings> setter) {
            this.field = field;
            this.getter = (Function<RuntimeSettings, Object>) getter;
            this.setter = (BiFunction<RuntimeSettings, Object, RuntimeSettings>) setter;
        }

        /** The field name in the runtime settings hash, for example {@code challenge_ttl}. */
        public String field() {
            return field;
        }

        /** The setting whose hash field is {@code field}. */
        public static Optional<Setting> ofField(String field) {
            for (Setting setting : values()) {
                if (setting.field.equals(field)) {
                    return Optional.of(setting);
                }
            }
            return Optional.empty();
        }

        private boolean isDuration() {
            return getter.apply(DEFAULTS) instanceof Duration;
        }
    }

    /**
     * These settings with one of them read from text, exactly as the runtime settings hash is read: durations like
     * {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h30m} (or {@code 0}), counts as whole numbers.
     *
     * @throws InvalidSettingException naming the setting's field and the broken rule
     */
    public RuntimeSettings with(Setting setting, String raw) {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(raw, "raw");
        Object value;
        if (setting.isDuration()) {
            try {
                value = DurationFormat.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(setting.field, e.getMessage(), e);
            }
        } else {
            try {
                value = Integer.parseInt(raw.strip());
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(setting.field, "'" + raw + "' is not a whole number", e);
            }
        }
        return setting.setter.apply(this, value);
    }

    /** The value of one setting as text, in the form {@link #with} reads back. */
    public String text(Setting setting) {
        Object value = setting.getter.apply(this);
        return value instanceof Duration duration ? DurationFormat.format(duration) : value.toString();
    }

    /**
     * Overlays the fields of the runtime settings hash on these settings. A field that is absent keeps this value; a
     * field that is invalid keeps it too and is reported to {@code onInvalid} with the reason.
     */
    public RuntimeSettings overriddenBy(Map<String, String> fields, BiConsumer<Setting, String> onInvalid) {
        RuntimeSettings settings = this;
        for (Setting setting : Setting.values()) {
            String raw = fields.get(setting.field);
            if (raw == null) {
                continue;
            }
            try {
                settings = settings.with(setting, raw);
            } catch (InvalidSettingException e) {
                onInvalid.accept(setting, e.rule());
            }
        }
        return settings;
    }

    private static void positive(Setting setting, Duration value) {
        notNegative(setting, value);
        if (value.isZero()) {
            throw new InvalidSettingException(setting.field, "must be longer than zero");
        }
    }

    private static void notNegative(Setting setting, Duration value) {
        if (value == null) {
            throw new InvalidSettingException(setting.field, "is required");
        }
        if (value.isNegative()) {
            throw new InvalidSettingException(setting.field, "must not be negative");
        }
    }

    private static void atLeast(Setting setting, int value, int min) {
        if (value < min) {
            throw new InvalidSettingException(setting.field, min == 0 ? "must not be negative, got " + value
                    : "must be at least " + min + ", got " + value);
        }
    }
}
