package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.SessionListing;
import io.authsession.core.port.SessionStore;
import io.authsession.embedded.EmbeddedRedis;
import io.authsession.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * The "sessions expire before their TTL" incident: a Redis with {@code maxmemory} and an evicting policy drops
 * session records under memory pressure. The service must notice (lost records), not list sessions that are gone.
 *
 * <p>The policy is {@code volatile-lru}, which the startup check warns about as well: sessions with a lifetime have a
 * TTL, so it evicts them. It also makes the test exact, where {@code allkeys-lru}'s sampling (and its one-second
 * clock) could pick the index too: only keys with a TTL are candidates, the fillers have none, and the index is made
 * persistent, as it is while it holds a session without a lifetime.
 */
class EvictionTest {

    @Test
    @Timeout(60)
    @DisplayName("records evicted under memory pressure are found lost by the next listing, dropped and counted once")
    void evictedRecordsAreLost() {
        MutableClock clock = MutableClock.create();
        try (EmbeddedRedis server = EmbeddedRedis.builder().maxMemory("8mb").maxMemoryPolicy("volatile-lru").start();
                RedisAdapters adapters = RedisAdapters.create(RedisSettings.builder().host(server.host())
                        .port(server.port()).build(), clock, RuntimeSettings.DEFAULTS);
                RedisClient raw = RedisClient.builder().hostAndPort(server.host(), server.port())
                        .clientConfig(DefaultJedisClientConfig.builder().build()).build()) {
            SessionStore sessions = adapters.sessionStore();
            String user = "evicted-user";
            List<DeviceSession> created = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                DeviceSession session = DeviceSession.active(sessions.newSessionId(user), user,
                        clock.instant().plusMillis(i), RuntimeSettings.DEFAULTS, Optional.empty(), Optional.empty());
                sessions.create(session, 0, Duration.ofHours(720));
                created.add(session);
            }
            RedisKeys keys = new RedisKeys(RedisSettings.builder().build());
            String index = keys.user(user).activeSessions();
            assertThat(raw.ttl(keys.session(created.get(0).id()))).as("a record with a lifetime has a TTL").isPositive();
            assertThat(raw.persist(index)).isEqualTo(1);
            String filler = "x".repeat(4096);
            // Fill memory past maxmemory until records are evicted (EXISTS does not touch a key).
            long missing = 0;
            int fillers = 0;
            while (fillers < 40_000 && missing < 20) {
                for (int i = 0; i < 10; i++, fillers++) {
                    raw.set("filler:" + fillers, filler);
                }
                missing = created.stream().filter(session -> !raw.exists(keys.session(session.id()))).count();
            }
            assertThat(evictedKeys(raw)).as("Redis evicted keys").isPositive();
            assertThat(missing).as("session records evicted").isGreaterThanOrEqualTo(20);
            assertThat(raw.exists(index)).as("the index (no TTL)").isTrue();
            for (int i = 0; i < fillers; i++) {
                raw.del("filler:" + i); // room again, for the listing's own writes
            }

            SessionListing first = sessions.listByUser(user, Optional.empty());
            assertThat(first.lostRecords()).as("lost records found by the first listing").isPositive();
            assertThat(first.sessions().size() + first.lostRecords()).isEqualTo(created.size());
            SessionListing second = sessions.listByUser(user, Optional.empty());
            assertThat(second.lostRecords()).as("reported once: the entries were dropped").isZero();
            assertThat(second.sessions()).hasSameSizeAs(first.sessions());
        }
    }

    private static long evictedKeys(RedisClient raw) {
        return raw.info("stats").lines()
                .filter(line -> line.startsWith("evicted_keys:"))
                .mapToLong(line -> Long.parseLong(line.substring("evicted_keys:".length()).strip()))
                .findFirst().orElse(0);
    }
}
