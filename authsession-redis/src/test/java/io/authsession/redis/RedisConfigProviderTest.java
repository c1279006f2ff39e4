package io.authsession.redis;

import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.ConfigProvider;
import io.authsession.testkit.ConfigProviderContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

class RedisConfigProviderTest extends ConfigProviderContract {
    private final TestKeyspace redis = newKeyspace();

    /** Where the contract runs: the standalone test server here, the cluster in a subclass. */
    TestKeyspace newKeyspace() {
        return new TestKeyspace();
    }

    @Override
    protected ConfigProvider createProvider(Clock clock, RuntimeSettings defaults) {
        return redis.adapters(redis.settings(), clock, defaults).configProvider();
    }

    @Override
    protected void writeField(String field, String value) {
        redis.raw().hset(redis.keys().config(), field, value);
    }

    @Override
    protected void deleteField(String field) {
        redis.raw().hdel(redis.keys().config(), field);
    }

    @AfterEach
    void close() throws Exception {
        redis.close();
    }
}
