package io.authsession.redis;

import org.junit.jupiter.api.DisplayName;

/**
 * The operator's walks on a three-primary cluster, where {@code SCAN} answers per node: every mass logout, audit and
 * repair of {@link RedisMaintenanceTest} must find the keys of every primary, and a resume cursor names its node.
 */
@DisplayName("the operator's walks on a three-primary Redis Cluster")
class ClusterMaintenanceTest extends RedisMaintenanceTest {
    @Override
    TestKeyspace keyspace() {
        return TestKeyspace.cluster();
    }
}
