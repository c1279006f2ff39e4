package io.authsession.redis;

import io.authsession.core.port.ChallengeStore;
import io.authsession.testkit.ChallengeStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

class RedisChallengeStoreTest extends ChallengeStoreContract {
    private final TestKeyspace redis = newKeyspace();

    /** Where the contract runs: the standalone test server here, the cluster in a subclass. */
    TestKeyspace newKeyspace() {
        return new TestKeyspace();
    }

    @Override
    protected ChallengeStore createStore(Clock clock) {
        return redis.adapters(clock).challengeStore();
    }

    @AfterEach
    void close() throws Exception {
        redis.close();
    }
}
