package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsession.embedded.RespClient;
import io.authsession.embedded.RespException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class RedisTestClusterTest {
    private static final System.Logger LOG = System.getLogger(RedisTestClusterTest.class.getName());
    private static RedisTestCluster cluster;

    @BeforeAll
    static void shareTheCluster() {
        cluster = RedisTestCluster.shared();
    }

    @Test
    @DisplayName("three primaries serve all 16384 slots, each with a replica of its own")
    void threePrimariesWithAReplicaEach() {
        List<RedisEndpoint> primaries = cluster.primaries();

        assertThat(primaries).hasSize(3);
        Set<RedisEndpoint> replicas = new HashSet<>();
        for (RedisEndpoint primary : primaries) {
            replicas.add(cluster.replicaOf(primary).orElseThrow());
        }
        assertThat(replicas).hasSize(3).doesNotContainAnyElementsOf(primaries);
        assertThat(cluster.replicas()).containsExactlyInAnyOrderElementsOf(replicas);
        if (cluster.isPrivate()) {
            assertThat(cluster.seeds()).hasSize(6).containsAll(primaries).containsAll(replicas);
        }
        try (RespClient client = cluster.connect(primaries.get(0))) {
            assertThat(RespClient.parseInfo(client.callString("CLUSTER", "INFO")))
                    .containsEntry("cluster_state", "ok").containsEntry("cluster_slots_ok", "16384");
        }
    }

    @Test
    @DisplayName("slot() computes the slot Redis computes, hash tags included")
    void slotMatchesRedis() {
        try (RespClient client = cluster.connect(cluster.seeds().get(0))) {
            for (String key : List.of("", "a", "user:1000", "{user1}:session", "{user1}:challenge", "foo{}{bar}",
                    "foo{{bar}}zap", "foo{bar}{zap}", "{}", "ünïcödé", "authsession:{u:4ab3}:sessions")) {
                assertThat(RedisTestCluster.slot(key)).as(key)
                        .isEqualTo(((Long) client.call("CLUSTER", "KEYSLOT", key)).intValue());
            }
        }
        assertThat(RedisTestCluster.slot("{user1}:a")).isEqualTo(RedisTestCluster.slot("{user1}:b"));
    }

    @Test
    @DisplayName("a key is served by the primary of its slot, which redirects nobody, while the others answer MOVED")
    void keysLiveOnThePrimaryOfTheirSlot() {
        String key = "cluster-test:{routing}";
        RedisEndpoint owner = cluster.primaryFor(key);

        try (RespClient client = cluster.connect(owner)) {
            assertThat(client.call("SET", key, "here")).isEqualTo("OK");
        }
        for (RedisEndpoint other : cluster.primaries()) {
            if (!other.equals(owner)) {
                try (RespClient client = cluster.connect(other)) {
                    assertThatThrownBy(() -> client.call("GET", key))
                            .isInstanceOfSatisfying(RespException.class, e -> assertThat(e.getMessage())
                                    .isEqualTo("MOVED " + RedisTestCluster.slot(key) + " " + owner));
                }
            }
        }
    }

    @Test
    @DisplayName("SIGKILL of a primary: its replica takes over with the acknowledged writes, the node rejoins as replica")
    void killedPrimaryFailsOver() {
        assumeTrue(cluster.isPrivate(), "needs a cluster of its own (not " + RedisTestCluster.URL_VARIABLE + ")");
        String key = "cluster-test:{kill}";
        RedisEndpoint primary = cluster.primaryFor(key);
        RedisEndpoint replica = cluster.replicaOf(primary).orElseThrow();
        writeAcknowledgedByReplica(primary, key, "survives");

        long started = System.nanoTime();
        cluster.kill(primary);
        RedisEndpoint successor = cluster.awaitFailover(primary, Duration.ofSeconds(30));
        long failoverMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(successor).isEqualTo(replica);
        assertThat(cluster.primaryFor(key)).isEqualTo(successor);
        try (RespClient client = cluster.connect(successor)) {
            assertThat(client.call("GET", key)).isEqualTo("survives");
        }

        long healStarted = System.nanoTime();
        cluster.restart(primary);
        cluster.awaitHealthy(Duration.ofSeconds(60));
        long healMillis = (System.nanoTime() - healStarted) / 1_000_000;
        LOG.log(System.Logger.Level.INFO, () -> "event=cluster_failover cause=sigkill failover_ms=" + failoverMillis
                + " rejoin_ms=" + healMillis);

        assertThat(cluster.replicaOf(successor)).contains(primary);
        assertThat(cluster.primaries()).hasSize(3).doesNotContain(primary);
    }

    @Test
    @DisplayName("SIGSTOP of a primary: its replica takes over; resumed, the old primary follows its successor")
    void pausedPrimaryFailsOver() {
        assumeTrue(cluster.isPrivate(), "needs a cluster of its own (not " + RedisTestCluster.URL_VARIABLE + ")");
        String key = "cluster-test:{pause}";
        RedisEndpoint primary = cluster.primaryFor(key);
        RedisEndpoint replica = cluster.replicaOf(primary).orElseThrow();
        writeAcknowledgedByReplica(primary, key, "before");

        long started = System.nanoTime();
        cluster.pause(primary);
        RedisEndpoint successor = cluster.awaitFailover(primary, Duration.ofSeconds(30));
        long failoverMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(successor).isEqualTo(replica);
        try (RespClient client = cluster.connect(successor)) {
            client.call("SET", key, "after");
        }

        long healStarted = System.nanoTime();
        cluster.resume(primary);
        cluster.awaitHealthy(Duration.ofSeconds(60));
        long healMillis = (System.nanoTime() - healStarted) / 1_000_000;
        LOG.log(System.Logger.Level.INFO, () -> "event=cluster_failover cause=sigstop failover_ms=" + failoverMillis
                + " rejoin_ms=" + healMillis);

        assertThat(cluster.replicaOf(successor)).contains(primary);
        writeAcknowledgedByReplica(successor, key, "after again");
        try (RespClient client = cluster.connect(primary)) {
            client.call("READONLY");
            assertThat(client.call("GET", key)).isEqualTo("after again");
        }
    }

    @Test
    void nodeOperations_refuseAnAddressOutsideTheCluster() {
        assumeTrue(cluster.isPrivate());
        assertThatThrownBy(() -> cluster.kill(new RedisEndpoint("127.0.0.1", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a node of this cluster");
        RedisEndpoint replica = cluster.replicas().get(0);
        assertThatThrownBy(() -> cluster.awaitFailover(replica, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void writeAcknowledgedByReplica(RedisEndpoint primary, String key, String value) {
        try (RespClient client = cluster.connect(primary)) {
            client.call("SET", key, value);
            assertThat(client.call("WAIT", "1", "5000")).as("acknowledged by the replica").isEqualTo(1L);
        }
    }
}
