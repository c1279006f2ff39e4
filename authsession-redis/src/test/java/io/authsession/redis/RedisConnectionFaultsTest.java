package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.embedded.EmbeddedRedis;
import io.authsession.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A Redis of the test's own that restarts and hangs under the adapters' pooled connections. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisConnectionFaultsTest {
    private static final int POOLED = 4;

    private final EmbeddedRedis server = EmbeddedRedis.start();
    private final MutableClock clock = MutableClock.create();
    private final List<String> roundTrips = Collections.synchronizedList(new ArrayList<>());
    private final RedisAdapters adapters = RedisAdapters.create(RedisSettings.builder()
            .host(server.host()).port(server.port())
            .socketTimeout(Duration.ofMillis(500)).poolMaxWait(Duration.ofMillis(500)).poolSize(POOLED)
            .build(), clock, io.authsession.core.domain.RuntimeSettings.DEFAULTS);

    @AfterEach
    void close() {
        adapters.close();
        server.close();
    }

    /** Opens {@value #POOLED} connections at once, so that the pool holds that many idle ones afterwards. */
    private void fillPool() throws Exception {
        CyclicBarrier together = new CyclicBarrier(POOLED);
        ExecutorService threads = Executors.newFixedThreadPool(POOLED);
        try {
            List<Future<String>> pings = new ArrayList<>();
            String primary = adapters.commands().primaries().get(0);
            for (int i = 0; i < POOLED; i++) {
                pings.add(threads.submit(() -> adapters.commands().onPrimary("ping", primary, jedis -> {
                    try {
                        together.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return jedis.ping();
                })));
            }
            for (Future<String> ping : pings) {
                assertThat(ping.get(10, TimeUnit.SECONDS)).isEqualTo("PONG");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("after a clean restart of Redis, the first command of each kind succeeds: the broken pooled"
            + " connection is dropped with the other idle ones and the command sent once more")
    void restart() throws Exception {
        fillPool();
        adapters.sessionStore().find("nobody");
        server.restart();
        adapters.commands().listen((operation, commands) -> roundTrips.add(operation));

        assertThat(adapters.sessionStore().find("nobody")).isEmpty();
        assertThat(roundTrips).containsExactly("find session", "find session (again, on a new connection)");
        roundTrips.clear();
        // The other stale connections went with the first: nothing else needs a second attempt (the restarted
        // server has forgotten the scripts, though).
        adapters.sessionStore().listByUser("u1", java.util.Optional.empty());
        adapters.projectionPublisher().ping();
        assertThat(roundTrips).containsExactly("list sessions", "list sessions (script sent again)", "ping");
    }

    @Test
    @DisplayName("a hung Redis (SIGSTOP) fails each command within the socket timeout, never twice; after SIGCONT"
            + " commands succeed")
    void hung() {
        adapters.sessionStore().find("nobody");
        adapters.commands().listen((operation, commands) -> roundTrips.add(operation));
        server.pause();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> adapters.sessionStore().find("nobody"))
                    .isInstanceOf(DependencyUnavailableException.class);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(450)).isLessThan(Duration.ofMillis(1500));
            assertThat(roundTrips).containsExactly("find session");
        } finally {
            server.resume();
        }
        assertThat(adapters.sessionStore().find("nobody")).isEmpty();
    }

    @Test
    @DisplayName("a Redis that is down fails fast, after one more attempt on a fresh connection")
    void down() {
        adapters.sessionStore().find("nobody");
        server.kill();
        adapters.commands().listen((operation, commands) -> roundTrips.add(operation));
        long started = System.nanoTime();
        assertThatThrownBy(() -> adapters.sessionStore().find("nobody"))
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
        assertThat(roundTrips).containsExactly("find session", "find session (again, on a new connection)");
    }
}
