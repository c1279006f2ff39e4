package io.authsession.redis;

import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ResendThrottle;
import io.authsession.testkit.ResendThrottleContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

class RedisResendThrottleTest extends ResendThrottleContract {
    private final TestKeyspace redis = newKeyspace();

    /** Where the contract runs: the standalone test server here, the cluster in a subclass. */
    TestKeyspace newKeyspace() {
        return new TestKeyspace();
    }
    private RedisAdapters adapters;

    @Override
    protected ResendThrottle createThrottle(Clock clock) {
        adapters = redis.adapters(clock);
        return adapters.resendThrottle();
    }

    @Override
    protected ChallengeStore budgetCounter() {
        return adapters.challengeStore();
    }

    @AfterEach
    void close() throws Exception {
        redis.close();
    }
}
