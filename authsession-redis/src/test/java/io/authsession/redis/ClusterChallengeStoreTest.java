package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

@DisplayName("the ChallengeStore contract on a three-primary Redis Cluster")
class ClusterChallengeStoreTest extends RedisChallengeStoreTest {
    @Override
    TestKeyspace newKeyspace() {
        return TestKeyspace.cluster();
    }
}
