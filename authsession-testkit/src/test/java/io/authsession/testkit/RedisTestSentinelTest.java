package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsession.embedded.RespClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class RedisTestSentinelTest {
    private static final System.Logger LOG = System.getLogger(RedisTestSentinelTest.class.getName());
    private static RedisTestSentinel group;

    @BeforeAll
    static void shareTheGroup() {
        group = RedisTestSentinel.shared();
    }

    @Test
    @DisplayName("three sentinels name one primary, whose replica follows it")
    void sentinelsAgreeOnThePrimary() {
        RedisEndpoint primary = group.primary();
        List<RedisEndpoint> replicas = group.replicas();

        assertThat(group.sentinels()).hasSize(3);
        assertThat(replicas).hasSize(1).doesNotContain(primary);
        assertThat(group.dataNodes()).containsExactlyInAnyOrder(primary, replicas.get(0));
        for (RedisEndpoint sentinel : group.sentinels()) {
            try (RespClient client = RespClient.connect(sentinel.host(), sentinel.port(), Duration.ofSeconds(2))) {
                assertThat(client.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", group.masterName()))
                        .isEqualTo(List.of(primary.host(), Integer.toString(primary.port())));
            }
        }
        try (RespClient client = group.connect(replicas.get(0))) {
            Map<String, String> replication = client.info("replication");
            assertThat(replication).containsEntry("role", "slave")
                    .containsEntry("master_port", Integer.toString(primary.port()))
                    .containsEntry("master_link_status", "up");
        }
    }

    @Test
    @DisplayName("SIGKILL of the primary: the sentinels promote the replica, which kept the acknowledged writes")
    void killedPrimaryFailsOver() {
        assumeTrue(group.isPrivate(), "needs a group of its own (not " + RedisTestSentinel.URL_VARIABLE + ")");
        RedisEndpoint primary = group.primary();
        RedisEndpoint replica = group.replicas().get(0);
        writeAcknowledgedByReplica(primary, "sentinel-test:kill", "survives");

        long started = System.nanoTime();
        group.kill(primary);
        RedisEndpoint successor = group.awaitFailover(primary, Duration.ofSeconds(30));
        long failoverMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(successor).isEqualTo(replica);
        assertThat(group.primary()).isEqualTo(successor);
        try (RespClient client = group.connect(successor)) {
            assertThat(client.call("GET", "sentinel-test:kill")).isEqualTo("survives");
            assertThat(client.call("SET", "sentinel-test:kill", "writable")).isEqualTo("OK");
        }

        long healStarted = System.nanoTime();
        group.restart(primary);
        group.awaitHealthy(Duration.ofSeconds(60));
        long healMillis = (System.nanoTime() - healStarted) / 1_000_000;
        LOG.log(System.Logger.Level.INFO, () -> "event=sentinel_failover cause=sigkill failover_ms=" + failoverMillis
                + " rejoin_ms=" + healMillis);

        assertThat(group.replicas()).containsExactly(primary);
        writeAcknowledgedByReplica(successor, "sentinel-test:kill", "replicated to the former primary");
    }

    @Test
    @DisplayName("SIGSTOP of the primary: the sentinels promote the replica; resumed, the old primary follows it")
    void pausedPrimaryFailsOver() {
        assumeTrue(group.isPrivate(), "needs a group of its own (not " + RedisTestSentinel.URL_VARIABLE + ")");
        RedisEndpoint primary = group.primary();
        RedisEndpoint replica = group.replicas().get(0);

        long started = System.nanoTime();
        group.pause(primary);
        RedisEndpoint successor = group.awaitFailover(primary, Duration.ofSeconds(30));
        long failoverMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(successor).isEqualTo(replica);

        long healStarted = System.nanoTime();
        group.resume(primary);
        group.awaitHealthy(Duration.ofSeconds(60));
        long healMillis = (System.nanoTime() - healStarted) / 1_000_000;
        LOG.log(System.Logger.Level.INFO, () -> "event=sentinel_failover cause=sigstop failover_ms=" + failoverMillis
                + " rejoin_ms=" + healMillis);

        assertThat(group.primary()).isEqualTo(successor);
        assertThat(group.replicas()).containsExactly(primary);
        writeAcknowledgedByReplica(successor, "sentinel-test:pause", "after");
        try (RespClient client = group.connect(primary)) {
            assertThat(client.call("GET", "sentinel-test:pause")).isEqualTo("after");
        }
    }

    private static void writeAcknowledgedByReplica(RedisEndpoint primary, String key, String value) {
        try (RespClient client = group.connect(primary)) {
            client.call("SET", key, value);
            assertThat(client.call("WAIT", "1", "5000")).as("acknowledged by the replica").isEqualTo(1L);
        }
    }
}
