package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.port.ConfigProvider;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.core.port.SessionStore;
import io.authsession.testkit.MutableClock;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Redis-specific behaviour the contract kits cannot express. */
class RedisAdaptersTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TestKeyspace keyspace = new TestKeyspace();
    private final MutableClock clock = MutableClock.create();

    @AfterEach
    void close() throws Exception {
        keyspace.close();
    }

    private DeviceSession newSession(String userId) {
        return DeviceSession.active(SessionIds.newId(userId, RANDOM), userId, clock.instant(),
                Optional.empty(), Optional.empty());
    }

    @Nested
    @DisplayName("failures")
    class Failures {
        @Test
        @DisplayName("a server that does not answer fails ping with a dependency failure, within the timeouts")
        void unreachable() throws Exception {
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            RedisAdapters adapters = keyspace.adapters(RedisSettings.builder().port(closedPort)
                    .connectTimeout(Duration.ofMillis(500)).build(), clock);
            long started = System.nanoTime();
            assertThatThrownBy(() -> adapters.challengeStore().ping())
                    .isInstanceOfSatisfying(DependencyUnavailableException.class,
                            e -> assertThat(e.dependency()).isEqualTo("redis"));
            assertThatThrownBy(() -> adapters.sessionStore().find("x")).isInstanceOf(DependencyUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }

        @Test
        @DisplayName("a snapshot key of another type fails the publication and appends no event")
        void snapshotKeyOfWrongType() {
            RedisAdapters adapters = keyspace.adapters(clock);
            DeviceSession session = newSession("u1");
            keyspace.raw().hset(keyspace.keys().gatewaySnapshot(session.id()), "not", "a string");
            assertThatThrownBy(() -> adapters.projectionPublisher().publish(SessionSnapshot.of(session, Duration.ofHours(1))))
                    .isInstanceOf(DependencyUnavailableException.class);
            assertThat(keyspace.raw().exists(keyspace.keys().gatewayStream())).isFalse();
        }

        @Test
        @DisplayName("scripts still run after the server forgot them (SCRIPT FLUSH, restart, failover)")
        void noScript() {
            assumeTrue(keyspace.server.isPrivate(), "flushes the server's script cache");
            RedisAdapters adapters = keyspace.adapters(clock);
            SessionStore sessions = adapters.sessionStore();
            sessions.create(newSession("u1"), 0, Duration.ofSeconds(60));
            try (Jedis jedis = new Jedis(keyspace.server.host(), keyspace.server.port())) {
                jedis.scriptFlush();
            }
            sessions.create(newSession("u1"), 0, Duration.ofSeconds(60));
            assertThat(sessions.listByUser("u1", Optional.empty()).sessions()).hasSize(2);
            try (Jedis jedis = new Jedis(keyspace.server.host(), keyspace.server.port())) {
                jedis.scriptFlush();
            }
            DeviceSession a = newSession("u2");
            DeviceSession b = newSession("u2");
            assertThat(adapters.projectionPublisher().publishAll(List.of(
                    SessionSnapshot.of(a, Duration.ofHours(1)), SessionSnapshot.of(b, Duration.ofHours(1))))).hasSize(2);
        }

        @Test
        @DisplayName("loading the scripts up front makes the first use of each a single EVALSHA")
        void preload() {
            assumeTrue(keyspace.server.isPrivate(), "flushes the server's script cache");
            try (Jedis jedis = new Jedis(keyspace.server.host(), keyspace.server.port())) {
                jedis.scriptFlush();
                RedisAdapters adapters = keyspace.adapters(clock);
                adapters.loadScripts();
                assertThat(jedis.scriptExists(LuaScript.ALL.stream().map(LuaScript::sha1).toArray(String[]::new)))
                        .hasSize(LuaScript.ALL.size()).containsOnly(true);
            }
        }

        @Test
        @DisplayName("a session id not made for its user is refused before anything is written")
        void foreignSessionId() {
            SessionStore sessions = keyspace.adapters(clock).sessionStore();
            DeviceSession foreign = DeviceSession.active(SessionIds.newId("someone-else", RANDOM), "u1",
                    clock.instant(), Optional.empty(), Optional.empty());
            assertThatThrownBy(() -> sessions.create(foreign, 0, Duration.ofHours(1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(sessions.listByUser("u1", Optional.empty()).sessions()).isEmpty();
        }
    }

    @Nested
    @DisplayName("the per-user index")
    class Index {
        @Test
        @DisplayName("a listing never returns a session whose record is gone, and drops its index entry")
        void recordGone() {
            SessionStore sessions = keyspace.adapters(clock).sessionStore();
            DeviceSession kept = newSession("u1");
            DeviceSession lost = newSession("u1");
            sessions.create(kept, 0, Duration.ofHours(1));
            sessions.create(lost, 0, Duration.ofHours(1));
            keyspace.raw().del(keyspace.keys().session(lost.id()));

            assertThat(sessions.listByUser("u1", Optional.empty()).sessions()).containsExactly(kept);
            assertThat(keyspace.raw().zrange(keyspace.keys().user("u1").activeSessions(), 0, -1)).containsExactly(kept.id());
        }

        @Test
        @DisplayName("revoked entries are pruned as their retention ends, so the index does not grow without bound")
        void bounded() {
            SessionStore sessions = keyspace.adapters(clock).sessionStore();
            for (int i = 0; i < 200; i++) {
                DeviceSession session = newSession("u1");
                sessions.create(session, 0, Duration.ofMinutes(10));
                sessions.revoke(session.id(), "logout", clock.instant(), Duration.ofMinutes(10));
                clock.advance(Duration.ofMinutes(1));
            }
            long revokedEntries = keyspace.raw().zcard(keyspace.keys().user("u1").revokedSessions());
            assertThat(revokedEntries).isBetween(9L, 11L);
            assertThat(keyspace.raw().zcard(keyspace.keys().user("u1").activeSessions())).isZero();
            assertThat(keyspace.raw().exists(keyspace.keys().session(sessions.listByUser("u1", Optional.empty())
                    .sessions().get(0).id()))).isTrue();
        }

        @Test
        @DisplayName("the revoked index expires with its last entry")
        void revokedIndexExpires() {
            SessionStore sessions = keyspace.adapters(clock).sessionStore();
            DeviceSession session = newSession("u1");
            sessions.create(session, 0, Duration.ofHours(2));
            sessions.revoke(session.id(), "logout", clock.instant(), Duration.ofHours(2));
            long ttl = keyspace.raw().pttl(keyspace.keys().user("u1").revokedSessions());
            assertThat(ttl).isBetween(Duration.ofHours(2).minusSeconds(5).toMillis(), Duration.ofHours(2).toMillis());
        }
    }

    @Nested
    @DisplayName("runtime settings")
    class Settings {
        private final List<String> warnings = new ArrayList<>();
        private final Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLoggerName().equals(RedisConfigProvider.class.getName())) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };

        @Test
        @DisplayName("the hash is read at most every five seconds")
        void cached() {
            ConfigProvider config = keyspace.adapters(clock).configProvider();
            assertThat(config.current().challengeMaxAttempts()).isEqualTo(5);
            keyspace.raw().hset(keyspace.keys().config(), "challenge_max_attempts", "3");
            clock.advance(Duration.ofMillis(4_999));
            assertThat(config.current().challengeMaxAttempts()).isEqualTo(5);
            clock.advance(Duration.ofMillis(1));
            assertThat(config.current().challengeMaxAttempts()).isEqualTo(3);
        }

        @Test
        @DisplayName("an invalid field is logged once, naming the key and field, and the default applies")
        void invalidLoggedOnce() {
            Logger.getLogger(RedisConfigProvider.class.getName()).addHandler(capture);
            try {
                ConfigProvider config = keyspace.adapters(clock).configProvider();
                keyspace.raw().hset(keyspace.keys().config(), "challenge_ttl", "ten minutes");
                for (int i = 0; i < 3; i++) {
                    assertThat(config.current().challengeTtl()).isEqualTo(RuntimeSettings.DEFAULTS.challengeTtl());
                    clock.advance(Duration.ofSeconds(6));
                }
                assertThat(warnings).hasSize(1);
                assertThat(warnings.get(0)).contains("event=invalid_runtime_setting", keyspace.keys().config(),
                        "field=challenge_ttl");
            } finally {
                Logger.getLogger(RedisConfigProvider.class.getName()).removeHandler(capture);
            }
        }

        @Test
        @DisplayName("when Redis cannot be read the last known settings stay in force, not the defaults")
        void lastKnown() {
            assumeTrue(keyspace.server.isPrivate(), "creates an ACL user whose rights it then takes away");
            String user = "authsession-lastknown-" + java.util.UUID.randomUUID();
            try (Jedis admin = new Jedis(keyspace.server.host(), keyspace.server.port())) {
                admin.aclSetUser(user, "on", ">pw", "+@all", "~*");
                try {
                    ConfigProvider config = keyspace.adapters(keyspace.settings().toBuilder().username(user)
                            .password("pw").build(), clock).configProvider();
                    keyspace.raw().hset(keyspace.keys().config(), "challenge_max_attempts", "3");
                    assertThat(config.current().challengeMaxAttempts()).isEqualTo(3);

                    admin.aclSetUser(user, "-@all");
                    clock.advance(Duration.ofSeconds(6));
                    assertThat(config.current().challengeMaxAttempts()).isEqualTo(3);
                    clock.advance(Duration.ofSeconds(6));
                    assertThat(config.current().challengeMaxAttempts()).isEqualTo(3);

                    admin.aclSetUser(user, "+@all");
                    keyspace.raw().hset(keyspace.keys().config(), "challenge_max_attempts", "4");
                    clock.advance(Duration.ofSeconds(6));
                    assertThat(config.current().challengeMaxAttempts()).isEqualTo(4);
                } finally {
                    admin.aclDelUser(user);
                }
            }
        }
    }

    @Test
    @DisplayName("any maxmemory policy but noeviction is reported by name, once Redis has a memory limit")
    void evictionPolicy() {
        assumeTrue(keyspace.server.isPrivate(), "changes the server's configuration");
        RedisAdapters adapters = keyspace.adapters(clock);
        try (Jedis jedis = new Jedis(keyspace.server.host(), keyspace.server.port())) {
            String previous = jedis.configGet("maxmemory-policy").get("maxmemory-policy");
            String previousLimit = jedis.configGet("maxmemory").get("maxmemory");
            try {
                jedis.configSet("maxmemory", "0");
                jedis.configSet("maxmemory-policy", "allkeys-lru");
                assertThat(adapters.evictingMaxmemoryPolicy()).as("no limit: Redis never evicts").isEmpty();
                jedis.configSet("maxmemory", "1gb");
                assertThat(adapters.evictingMaxmemoryPolicy()).contains("allkeys-lru");
                // Sessions with a lifetime and failed-guess windows have a TTL: volatile-* evicts them too.
                jedis.configSet("maxmemory-policy", "volatile-lru");
                assertThat(adapters.evictingMaxmemoryPolicy()).contains("volatile-lru");
                jedis.configSet("maxmemory-policy", "noeviction");
                assertThat(adapters.evictingMaxmemoryPolicy()).isEmpty();
            } finally {
                jedis.configSet("maxmemory-policy", previous);
                jedis.configSet("maxmemory", previousLimit);
            }
        }
    }
}
