package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsession.testkit.RedisEndpoint;
import io.authsession.testkit.RedisTestSentinel;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONTRACT §7.1, Sentinel: the service follows a failover without a restart. A login loop runs while the primary is
 * killed; the measured times are printed (docs/redis.md, "Failover").
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SentinelFailoverTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration POOL_MAX_WAIT = Duration.ofMillis(500);
    private static final Duration ACK_TIMEOUT = Duration.ofMillis(500);
    /** Every Redis wait one request can meet, plus a second for everything else. */
    static final Duration ANSWER_BOUND = CONNECT_TIMEOUT.plus(SOCKET_TIMEOUT).plus(POOL_MAX_WAIT).plus(ACK_TIMEOUT)
            .plusSeconds(1);

    /** The Redis timeouts of the failover tests. */
    static void timeouts(Map<String, String> env) {
        env.put("AUTHSESSION_REDIS_CONNECT_TIMEOUT", "1s");
        env.put("AUTHSESSION_REDIS_SOCKET_TIMEOUT", "1s");
        env.put("AUTHSESSION_REDIS_POOL_MAX_WAIT", "500ms");
        env.put("AUTHSESSION_REDIS_REPLICA_ACK_TIMEOUT", "500ms");
    }

    static String seconds(long fromNanos, long toNanos) {
        return String.format(java.util.Locale.ROOT, "%.2fs", (toNanos - fromNanos) / 1e9);
    }

    static void assertAnswers(LoginLoop loop) {
        assertThat(loop.answers()).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.step() + " answer").isIn(200, 503);
            assertThat(answer.duration()).as(answer.step() + " duration").isLessThan(ANSWER_BOUND);
        });
    }

    static String slowest(LoginLoop loop) {
        return loop.answers().stream().map(LoginLoop.Answer::duration).max(Duration::compareTo)
                .map(duration -> duration.toMillis() + "ms").orElse("-");
    }

    @Test
    @DisplayName("SIGKILL of the primary under a login loop with MIN_REPLICAS_ACK=1: every answer 200 or 503 within"
            + " the timeouts; sends succeed again once the sentinels promoted the replica, logins once a replica is"
            + " back; no session answered 200 is lost")
    void primaryKilled() throws Exception {
        RedisTestSentinel group = RedisTestSentinel.shared();
        assumeTrue(group.isPrivate(), "kills the primary");
        Map<String, String> env = Topologies.sentinel("sf-" + UUID.randomUUID() + ":");
        timeouts(env);
        env.put("AUTHSESSION_REDIS_MIN_REPLICAS_ACK", "1");
        try (TestServer t = new TestServer(env)) {
            LoginLoop loop = new LoginLoop(t, 4);
            long killed;
            long promoted;
            long sendsBack;
            long restarted;
            long loginsBack;
            try {
                loop.awaitSuccesses("confirm", 10, 0, Duration.ofSeconds(30));
                RedisEndpoint former = group.primary();
                killed = System.nanoTime();
                group.kill(former);
                group.awaitFailover(former, Duration.ofSeconds(60));
                promoted = System.nanoTime();
                // A send writes nothing durable: it works as soon as authsession follows the new primary.
                sendsBack = loop.awaitSuccesses("send", 1, killed, Duration.ofSeconds(60));
                // The promoted replica was the only one: durable writes answer 503 until the former primary,
                // restarted as an orchestrator would, follows the new one as its replica.
                restarted = System.nanoTime();
                group.restart(former);
                group.awaitHealthy(Duration.ofSeconds(60));
                loginsBack = loop.awaitSuccesses("confirm", 1, killed, Duration.ofSeconds(60));
                loop.awaitSuccesses("confirm", 10, loginsBack, Duration.ofSeconds(60));
            } finally {
                loop.close();
            }
            System.out.println("event=sentinel_failover_measured sentinels_promoted_after=" + seconds(killed, promoted)
                    + " first_send_ok_after=" + seconds(killed, sendsBack) + " first_login_ok_after_replica_restart="
                    + seconds(restarted, loginsBack) + " first_login_ok_after_kill=" + seconds(killed, loginsBack)
                    + " slowest_answer=" + slowest(loop) + " answers=" + loop.summary());
            assertAnswers(loop);
            for (String sessionId : loop.confirmedSessions()) {
                assertThat(t.get(t.internalUrl("/api/v1/internal/sessions/" + sessionId)).statusCode())
                        .as("session %s answered 200", sessionId).isEqualTo(200);
            }
        } finally {
            group.awaitHealthy(Duration.ofSeconds(60));
        }
    }
}
