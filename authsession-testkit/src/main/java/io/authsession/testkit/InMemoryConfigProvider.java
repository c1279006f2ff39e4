package io.authsession.testkit;

import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.ConfigProvider;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ConfigProvider} whose fields a test sets, spelled as in the Redis hash ({@code challenge_ttl = 30s}).
 * Changes are visible at once; invalid fields fall back to the defaults, as in production.
 */
public final class InMemoryConfigProvider implements ConfigProvider {
    private final RuntimeSettings defaults;
    private final Map<String, String> fields = new ConcurrentHashMap<>();
    private final Faults faults = new Faults("config_provider");

    /** A provider with the contract defaults. */
    public InMemoryConfigProvider() {
        this(RuntimeSettings.DEFAULTS);
    }

    /** A provider whose absent or invalid fields fall back to {@code defaults}. */
    public InMemoryConfigProvider(RuntimeSettings defaults) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    /** Sets a field of the runtime settings hash. */
    public InMemoryConfigProvider set(RuntimeSettings.Setting setting, String value) {
        fields.put(setting.field(), value);
        return this;
    }

    /** Removes a field, so that its default applies again. */
    public void remove(RuntimeSettings.Setting setting) {
        fields.remove(setting.field());
    }

    /** The next {@code calls} pings fail; {@link #current()} never fails, as the port promises. */
    public void failNextCalls(int calls) {
        faults.failNext(calls);
    }

    @Override
    public RuntimeSettings current() {
        return defaults.overriddenBy(Map.copyOf(fields), (setting, problem) -> { });
    }

    @Override
    public void ping() {
        faults.check();
    }
}
