package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

@DisplayName("the ConfigProvider contract on a three-primary Redis Cluster")
class ClusterConfigProviderTest extends RedisConfigProviderTest {
    @Override
    TestKeyspace newKeyspace() {
        return TestKeyspace.cluster();
    }
}
