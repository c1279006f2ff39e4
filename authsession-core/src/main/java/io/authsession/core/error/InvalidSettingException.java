package io.authsession.core.error;

import java.util.Objects;

/**
 * A setting (of a builder, of the runtime settings, of a configuration) breaks a rule. Carries the setting's name and
 * the rule as fields, so that a host can report it against its own name for the setting (an environment variable, a
 * command-line option) without parsing the message.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String rule;

    /**
     * @param setting the setting's name as its owner spells it, for example {@code challenge_ttl} or {@code port}
     * @param rule what is wrong, for example {@code must be positive}; never the secret value itself
     */
    public InvalidSettingException(String setting, String rule) {
        this(setting, rule, null);
    }

    public InvalidSettingException(String setting, String rule, Throwable cause) {
        super(Objects.requireNonNull(setting, "setting") + ": " + Objects.requireNonNull(rule, "rule"), cause);
        this.setting = setting;
        this.rule = rule;
    }

    /** The name of the setting, as the component that owns it spells it. */
    public String setting() {
        return setting;
    }

    /** The broken rule, for humans. */
    public String rule() {
        return rule;
    }
}
