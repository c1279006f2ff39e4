package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

@DisplayName("the SessionStore contract on a three-primary Redis Cluster")
class ClusterSessionStoreTest extends RedisSessionStoreTest {
    @Override
    TestKeyspace newKeyspace() {
        return TestKeyspace.cluster();
    }
}
