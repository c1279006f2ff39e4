package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

@DisplayName("the ResendThrottle contract on a three-primary Redis Cluster")
class ClusterResendThrottleTest extends RedisResendThrottleTest {
    @Override
    TestKeyspace newKeyspace() {
        return TestKeyspace.cluster();
    }
}
