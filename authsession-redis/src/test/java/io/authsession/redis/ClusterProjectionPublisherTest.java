package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

@DisplayName("the ProjectionPublisher contract on a three-primary Redis Cluster")
class ClusterProjectionPublisherTest extends RedisProjectionPublisherTest {
    @Override
    TestKeyspace newKeyspace() {
        return TestKeyspace.cluster();
    }
}
