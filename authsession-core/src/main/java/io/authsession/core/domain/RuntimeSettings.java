package io.authsession.core.domain;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The settings that may change while the service runs (CONTRACT §5).
 *
 * @param challengeTtl lifetime of a login code
 * @param challengeMaxAttempts wrong codes accepted before the challenge locks
 * @param resendCooldown the per-address resend window; zero turns throttling off
 * @param maxActiveSessionsPerUser active sessions a user may hold; zero means no limit
 */
public record RuntimeSettings(
        Duration challengeTtl, int challengeMaxAttempts, Duration resendCooldown, int maxActiveSessionsPerUser) {

    /** The contract defaults: {@code 10m}, {@code 5}, {@code 1m}, no session limit. */
    public static final RuntimeSettings DEFAULTS = new RuntimeSettings(Duration.ofMinutes(10), 5, Duration.ofMinutes(1), 0);

    public RuntimeSettings {
        Objects.requireNonNull(challengeTtl, "challengeTtl");
        Objects.requireNonNull(resendCooldown, "resendCooldown");
        if (challengeTtl.isNegative() || challengeTtl.isZero()) {
            throw new IllegalArgumentException("challenge TTL must be positive");
        }
        if (challengeMaxAttempts < 1) {
            throw new IllegalArgumentException("challenge max attempts must be at least 1");
        }
        if (resendCooldown.isNegative()) {
            throw new IllegalArgumentException("resend cooldown must not be negative");
        }
        if (maxActiveSessionsPerUser < 0) {
            throw new IllegalArgumentException("max active sessions per user must not be negative");
        }
    }

    /** One runtime setting: its field in the config hash, its environment variable and how it is read. */
    public enum Setting {
        CHALLENGE_TTL("challenge_ttl", "AUTHSESSION_CHALLENGE_TTL") {
            @Override
            RuntimeSettings apply(RuntimeSettings s, String raw) {
                return new RuntimeSettings(DurationFormat.parse(raw), s.challengeMaxAttempts, s.resendCooldown,
                        s.maxActiveSessionsPerUser);
            }
        },
        CHALLENGE_MAX_ATTEMPTS("challenge_max_attempts", "AUTHSESSION_CHALLENGE_MAX_ATTEMPTS") {
            @Override
            RuntimeSettings apply(RuntimeSettings s, String raw) {
                return new RuntimeSettings(s.challengeTtl, parseInt(raw), s.resendCooldown, s.maxActiveSessionsPerUser);
            }
        },
        RESEND_COOLDOWN("resend_cooldown", "AUTHSESSION_RESEND_COOLDOWN") {
            @Override
            RuntimeSettings apply(RuntimeSettings s, String raw) {
                return new RuntimeSettings(s.challengeTtl, s.challengeMaxAttempts, DurationFormat.parse(raw),
                        s.maxActiveSessionsPerUser);
            }
        },
        MAX_ACTIVE_SESSIONS_PER_USER("max_active_sessions_per_user", "AUTHSESSION_MAX_ACTIVE_SESSIONS_PER_USER") {
            @Override
            RuntimeSettings apply(RuntimeSettings s, String raw) {
                return new RuntimeSettings(s.challengeTtl, s.challengeMaxAttempts, s.resendCooldown, parseInt(raw));
            }
        };

        private final String field;
        private final String environmentVariable;

        Setting(String field, String environmentVariable) {
            this.field = field;
            this.environmentVariable = environmentVariable;
        }

        /** The field name in the runtime settings hash, for example {@code challenge_ttl}. */
        public String field() {
            return field;
        }

        /** The environment variable holding the default, for example {@code AUTHSESSION_CHALLENGE_TTL}. */
        public String environmentVariable() {
            return environmentVariable;
        }

        abstract RuntimeSettings apply(RuntimeSettings settings, String raw);

        private static int parseInt(String raw) {
            try {
                return Integer.parseInt(raw.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + raw + "' is not a whole number");
            }
        }
    }

    /**
     * Reads the defaults from environment variables; an absent or empty variable keeps the contract default.
     *
     * @throws IllegalArgumentException whose message starts with the name of the invalid variable
     */
    public static RuntimeSettings fromEnvironment(Map<String, String> environment) {
        RuntimeSettings settings = DEFAULTS;
        for (Setting setting : Setting.values()) {
            String raw = environment.get(setting.environmentVariable);
            if (raw == null || raw.isEmpty()) {
                continue;
            }
            try {
                settings = setting.apply(settings, raw);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting.environmentVariable + ": " + e.getMessage(), e);
            }
        }
        return settings;
    }

    /**
     * Overlays the fields of the runtime settings hash on these settings. A field that is absent keeps
     * this value; a field that is invalid keeps it too and is reported to {@code onInvalid} with the reason.
     */
    public RuntimeSettings overriddenBy(Map<String, String> fields, BiConsumer<Setting, String> onInvalid) {
        RuntimeSettings settings = this;
        for (Setting setting : Setting.values()) {
            String raw = fields.get(setting.field);
            if (raw == null) {
                continue;
            }
            try {
                settings = setting.apply(settings, raw);
            } catch (IllegalArgumentException e) {
                onInvalid.accept(setting, e.getMessage());
            }
        }
        return settings;
    }
}
