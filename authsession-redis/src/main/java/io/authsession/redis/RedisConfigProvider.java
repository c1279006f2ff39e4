package io.authsession.redis;

import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.ConfigProvider;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runtime settings from the {@code <prefix>config} hash, read at most every five seconds. A field that is absent or
 * invalid falls back to the environment default; an invalid value is logged once. When Redis cannot be read the last
 * known settings stay in force.
 */
final class RedisConfigProvider implements ConfigProvider {
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(RedisConfigProvider.class.getName());

    private final RedisCommands redis;
    private final RedisKeys keys;
    private final Clock clock;
    private final RuntimeSettings defaults;
    private final Set<String> reportedInvalid = ConcurrentHashMap.newKeySet();
    private volatile Cached cached;

    RedisConfigProvider(RedisCommands redis, RedisKeys keys, Clock clock, RuntimeSettings defaults) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.defaults = defaults;
    }

    @Override
    public RuntimeSettings current() {
        Instant now = clock.instant();
        Cached snapshot = cached;
        if (snapshot != null && now.isBefore(snapshot.readAt.plus(REFRESH_INTERVAL))) {
            return snapshot.settings;
        }
        return refresh(now);
    }

    private synchronized RuntimeSettings refresh(Instant now) {
        Cached snapshot = cached;
        if (snapshot != null && now.isBefore(snapshot.readAt.plus(REFRESH_INTERVAL))) {
            return snapshot.settings;
        }
        RuntimeSettings settings;
        try {
            Map<String, String> fields = redis.run("read runtime settings", client -> client.hgetAll(keys.config()));
            settings = defaults.overriddenBy(fields, (setting, problem) -> {
                if (reportedInvalid.add(setting.field() + "=" + fields.get(setting.field()))) {
                    LOG.log(Level.WARNING, () -> "event=invalid_runtime_setting key=" + keys.config() + " field="
                            + setting.field() + " problem=\"" + problem + "\" using=default");
                }
            });
        } catch (RuntimeException e) {
            settings = snapshot != null ? snapshot.settings : defaults;
            LOG.log(Level.WARNING, () -> "event=runtime_settings_unreadable key=" + keys.config()
                    + " error=\"" + e.getMessage() + "\" using=last_known");
        }
        cached = new Cached(settings, now);
        return settings;
    }

    @Override
    public void ping() {
        redis.ping();
    }

    private record Cached(RuntimeSettings settings, Instant readAt) {}
}
