package io.authsession.redis;

import io.authsession.core.port.ResendThrottle;
import io.authsession.testkit.ResendThrottleContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

class RedisResendThrottleTest extends ResendThrottleContract {
    private final TestKeyspace redis = new TestKeyspace();

    @Override
    protected ResendThrottle createThrottle(Clock clock) {
        return redis.adapters(clock).resendThrottle();
    }

    @AfterEach
    void close() throws Exception {
        redis.close();
    }
}
