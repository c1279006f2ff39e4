package io.authsession.server;

import static io.authsession.server.SentinelFailoverTest.assertAnswers;
import static io.authsession.server.SentinelFailoverTest.seconds;
import static io.authsession.server.SentinelFailoverTest.slowest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsession.testkit.RedisEndpoint;
import io.authsession.testkit.RedisTestCluster;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONTRACT §7.1, Cluster: a primary dies, its replica takes over its slots, and the service recovers without a
 * restart. The measured times are printed (docs/redis.md, "Failover").
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterFailoverTest {

    @Test
    @DisplayName("SIGKILL of the primary holding the gateway's slot under a login loop: every answer 200 or 503 within"
            + " the timeouts, and logins succeed again once its replica took over")
    void primaryKilled() throws Exception {
        RedisTestCluster cluster = RedisTestCluster.shared();
        assumeTrue(cluster.isPrivate(), "kills a primary");
        String namespace = "cf-" + UUID.randomUUID() + ":";
        Map<String, String> env = Topologies.cluster(namespace);
        SentinelFailoverTest.timeouts(env);
        try (TestServer t = new TestServer(env)) {
            // Every login publishes to the gateway's slot: with its primary gone, no login can succeed.
            RedisEndpoint victim = cluster.primaryFor(Topologies.clusterStream(namespace));
            assertThat(cluster.replicaOf(victim)).isPresent();
            LoginLoop loop = new LoginLoop(t, 4);
            long killed;
            long promoted;
            long loginsBack;
            try {
                loop.awaitSuccesses("confirm", 10, 0, Duration.ofSeconds(30));
                killed = System.nanoTime();
                cluster.kill(victim);
                RedisEndpoint successor = cluster.awaitFailover(victim, Duration.ofSeconds(60));
                promoted = System.nanoTime();
                loginsBack = loop.awaitSuccesses("confirm", 1, killed, Duration.ofSeconds(60));
                loop.awaitSuccesses("confirm", 10, loginsBack, Duration.ofSeconds(60));
                assertThat(cluster.primaryFor(Topologies.clusterStream(namespace))).isEqualTo(successor);
            } finally {
                loop.close();
            }
            System.out.println("event=cluster_failover_measured replica_promoted_after=" + seconds(killed, promoted)
                    + " first_login_ok_after=" + seconds(killed, loginsBack) + " slowest_answer=" + slowest(loop)
                    + " answers=" + loop.summary());
            assertAnswers(loop);
            assertThat(loop.answers()).anyMatch(answer -> answer.status() == 503 && answer.startedNanos() > killed);
        } finally {
            RedisTestCluster.shared();
        }
    }
}
