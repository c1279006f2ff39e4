package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * After each flow, every key in the test's database must be one of authsession's (under its prefix) or the
 * gateway's, and carry exactly the lifetime the contract gives it. The test owns database 5 of the test server.
 */
class RedisKeyLifetimeTest {
    private static final int DATABASE = 5;
    private static final String EMAIL = "user@example.com";
    private static final long SLACK_MS = 5_000;

    private final TestKeyspace keyspace = new TestKeyspace();
    private RedisWiring w;

    @BeforeEach
    void ownDatabase() {
        assumeTrue(keyspace.server.isPrivate(), "needs a test server of its own (not AUTHSESSION_TEST_REDIS_URL)");
        RedisSettings settings = keyspace.settings().toBuilder().database(DATABASE).build();
        w = new RedisWiring(keyspace, settings);
        w.redis.challengeStore().ping();
        rawCall(client -> client.flushDB());
    }

    @AfterEach
    void close() throws Exception {
        keyspace.close();
    }

    private <T> T rawCall(Function<redis.clients.jedis.Jedis, T> call) {
        try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(keyspace.server.host(), keyspace.server.port())) {
            jedis.select(DATABASE);
            return call.apply(jedis);
        }
    }

    /** Every key of the database with its remaining time to live in milliseconds (-1: none). */
    private Map<String, Long> keysWithTtl() {
        return rawCall(jedis -> {
            Map<String, Long> keys = new HashMap<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(1000));
                page.getResult().forEach(key -> keys.put(key, jedis.pttl(key)));
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return keys;
        });
    }

    private String prefix() {
        return keyspace.namespace + "authsession:";
    }

    private void assertKeys(Map<String, Optional<Duration>> expected) {
        Map<String, Long> actual = keysWithTtl();
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, ttl) -> {
            long pttl = actual.get(key);
            if (ttl.isEmpty()) {
                assertThat(pttl).as("TTL of %s", key).isEqualTo(-1);
            } else {
                assertThat(pttl).as("TTL of %s", key).isCloseTo(ttl.get().toMillis(), within(SLACK_MS))
                        .isLessThanOrEqualTo(ttl.get().toMillis());
            }
        });
    }

    private String sessionKey(String sessionId) {
        return prefix() + "{" + SessionIds.ownerHintOf(sessionId) + "}:session:" + sessionId;
    }

    private String userKey(String kind, String userId) {
        return prefix() + "{" + SessionIds.ownerHint(userId) + "}:user-" + kind + ":" + userId;
    }

    private String challengeKey(String challengeId) {
        return prefix() + "challenge:{" + challengeId + "}";
    }

    @Test
    @DisplayName("send: a challenge living for its TTL plus the expired retention, and a resend window for the cooldown")
    void send() {
        String challengeId = w.auth.sendEmailCode(EMAIL);
        assertKeys(Map.of(
                challengeKey(challengeId), Optional.of(Duration.ofMinutes(10).plus(Duration.ofHours(1))),
                prefix() + "resend:" + EMAIL, Optional.of(Duration.ofMinutes(1))));

        String throttled = w.auth.sendEmailCode(EMAIL);
        assertThat(keysWithTtl()).containsKey(challengeKey(throttled)).hasSize(3);
        assertThat(keysWithTtl().get(challengeKey(throttled))).isCloseTo(Duration.ofMinutes(70).toMillis(), within(SLACK_MS));
    }

    @Test
    @DisplayName("failed delivery: the challenge keeps its TTL and the released window leaves no key")
    void failedDelivery() {
        w.mail.failNextCalls(1);
        try {
            w.auth.sendEmailCode(EMAIL);
        } catch (RuntimeException expected) {
            // service_unavailable, asserted elsewhere
        }
        String challengeId = w.mail.attempted().get(0).challengeId();
        assertKeys(Map.of(challengeKey(challengeId), Optional.of(Duration.ofMinutes(70))));
    }

    @Test
    @DisplayName("confirm: the challenge shrinks to the idempotency window; session, index and snapshot never expire")
    void confirm() {
        String challengeId = w.auth.sendEmailCode(EMAIL);
        ConfirmedLogin login = w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, w.codeFor(challengeId)));
        Map<String, Optional<Duration>> expected = new HashMap<>(Map.of(
                challengeKey(challengeId), Optional.of(Duration.ofMinutes(5)),
                prefix() + "resend:" + EMAIL, Optional.of(Duration.ofMinutes(1)),
                sessionKey(login.deviceSessionId()), Optional.empty(),
                userKey("active", login.userId()), Optional.empty(),
                keyspace.namespace + "gateway:session:" + login.deviceSessionId(), Optional.empty(),
                keyspace.namespace + "gateway:session_events", Optional.empty()));
        assertKeys(expected);

        w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, w.codeFor(challengeId)));
        assertKeys(expected);
    }

    @Test
    @DisplayName("revoke: the session, its snapshot and the revoked index live for the retention; the empty active index goes")
    void revoke() {
        ConfirmedLogin login = w.login(EMAIL);
        w.clock.advance(Duration.ofMinutes(10));
        w.auth.revokeSession(login.deviceSessionId(), Optional.of("logout"));
        Map<String, Long> keys = keysWithTtl();
        long retention = Duration.ofHours(720).toMillis();
        assertThat(keys.get(sessionKey(login.deviceSessionId()))).isCloseTo(retention, within(SLACK_MS));
        assertThat(keys.get(userKey("revoked", login.userId()))).isCloseTo(retention, within(SLACK_MS));
        assertThat(keys.get(keyspace.namespace + "gateway:session:" + login.deviceSessionId()))
                .isCloseTo(retention, within(SLACK_MS));
        assertThat(keys).doesNotContainKey(userKey("active", login.userId()));
        assertThat(keys.get(keyspace.namespace + "gateway:session_events")).isEqualTo(-1);
    }

    @Test
    @DisplayName("the session limit and revoke-all leave only keys with the contract's lifetimes")
    void limitAndRevokeAll() {
        rawCall(jedis -> jedis.hset(prefix() + "config", Map.of("max_active_sessions_per_user", "2", "resend_cooldown", "0")));
        List<ConfirmedLogin> logins = List.of(w.login(EMAIL), w.login(EMAIL), w.login(EMAIL));
        w.auth.revokeAllSessions(logins.get(0).userId(), Optional.empty());

        Map<String, Long> keys = keysWithTtl();
        assertThat(keys).allSatisfy((key, ttl) -> {
            boolean mayBePersistent = key.equals(prefix() + "config") || key.endsWith("gateway:session_events");
            assertThat(key).startsWith(keyspace.namespace);
            if (mayBePersistent) {
                assertThat(ttl).as("TTL of %s", key).isEqualTo(-1);
            } else {
                assertThat(ttl).as("TTL of %s", key).isPositive();
            }
        });
        for (ConfirmedLogin login : logins) {
            assertThat(keys).containsKey(sessionKey(login.deviceSessionId()));
        }
    }
}
