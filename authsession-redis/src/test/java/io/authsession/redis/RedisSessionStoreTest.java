package io.authsession.redis;

import io.authsession.core.port.SessionStore;
import io.authsession.testkit.SessionStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

class RedisSessionStoreTest extends SessionStoreContract {
    private final TestKeyspace redis = newKeyspace();

    /** Where the contract runs: the standalone test server here, the cluster in a subclass. */
    TestKeyspace newKeyspace() {
        return new TestKeyspace();
    }

    @Override
    protected SessionStore createStore(Clock clock) {
        return redis.adapters(clock).sessionStore();
    }

    @Override
    protected void loseRecord(String deviceSessionId) {
        redis.raw().del(redis.keys().session(deviceSessionId));
    }

    @AfterEach
    void close() throws Exception {
        redis.close();
    }
}
