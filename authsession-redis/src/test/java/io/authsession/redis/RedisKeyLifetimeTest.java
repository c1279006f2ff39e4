package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.EmailAddress;
import io.authsession.testkit.AuthSessionFixture;
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
        return prefix() + "{" + challengeId.substring(0, 4) + "}:challenge:" + challengeId;
    }

    private String addressKey(String kind) {
        String address = AuthSessionFixture.CODE_HASH_KEY.addressKeyOf(EmailAddress.parse(EMAIL)).value();
        return prefix() + "{" + address.substring(0, 4) + "}:" + kind + ":" + address;
    }

    private String snapshotKey(String sessionId) {
        return keyspace.namespace + "gateway:session:" + sessionId;
    }

    private String stream() {
        return keyspace.namespace + "gateway:session_events";
    }

    private void setting(String field, String value) {
        rawCall(jedis -> jedis.hset(prefix() + "config", field, value));
        w.clock.advance(Duration.ofSeconds(5));
    }

    private static final Duration LIFETIME = Duration.ofHours(720);
    private static final Duration RETENTION = Duration.ofHours(720);

    @Test
    @DisplayName("send: a challenge living for its TTL plus the expired retention, and a resend window for the cooldown")
    void send() {
        String challengeId = w.auth.sendEmailCode(EMAIL);
        assertKeys(Map.of(
                challengeKey(challengeId), Optional.of(Duration.ofMinutes(10).plus(Duration.ofHours(1))),
                addressKey("resend"), Optional.of(Duration.ofMinutes(1))));

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
    @DisplayName("a wrong code opens the address's failed-guess window for its length; a success removes it")
    void failedGuesses() {
        String challengeId = w.auth.sendEmailCode(EMAIL);
        String code = w.codeFor(challengeId);
        try {
            w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, code.equals("000000") ? "000001" : "000000"));
        } catch (RuntimeException expected) {
            // invalid_code, asserted elsewhere
        }
        assertThat(keysWithTtl().get(addressKey("guesses"))).isCloseTo(Duration.ofHours(1).toMillis(), within(SLACK_MS));
        w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, code));
        assertThat(keysWithTtl()).doesNotContainKey(addressKey("guesses"));
    }

    @Test
    @DisplayName("confirm: the challenge shrinks to the idempotency window; session and index live to the lifetime plus"
            + " the retention, the snapshot to expires_at")
    void confirm() {
        String challengeId = w.auth.sendEmailCode(EMAIL);
        ConfirmedLogin login = w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, w.codeFor(challengeId)));
        Map<String, Optional<Duration>> expected = new HashMap<>(Map.of(
                challengeKey(challengeId), Optional.of(Duration.ofMinutes(5)),
                addressKey("resend"), Optional.of(Duration.ofMinutes(1)),
                sessionKey(login.deviceSessionId()), Optional.of(LIFETIME.plus(RETENTION)),
                userKey("active", login.userId()), Optional.of(LIFETIME.plus(RETENTION)),
                snapshotKey(login.deviceSessionId()), Optional.of(LIFETIME),
                stream(), Optional.empty()));
        assertKeys(expected);

        w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, w.codeFor(challengeId)));
        assertKeys(expected);
    }

    @Test
    @DisplayName("confirm with both lifetime settings off: the session, its index and its snapshot never expire")
    void confirmWithoutLifetime() {
        setting("session_max_lifetime", "0");
        String challengeId = w.auth.sendEmailCode(EMAIL);
        ConfirmedLogin login = w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, w.codeFor(challengeId)));
        Map<String, Long> keys = keysWithTtl();
        assertThat(keys.get(sessionKey(login.deviceSessionId()))).isEqualTo(-1);
        assertThat(keys.get(userKey("active", login.userId()))).isEqualTo(-1);
        assertThat(keys.get(snapshotKey(login.deviceSessionId()))).isEqualTo(-1);

        setting("session_max_lifetime", "24h");
        ConfirmedLogin second = w.login("second@example.com");
        assertThat(keysWithTtl().get(snapshotKey(second.deviceSessionId())))
                .isCloseTo(Duration.ofHours(24).toMillis(), within(SLACK_MS));
    }

    @Test
    @DisplayName("a session without a lifetime keeps its index alive; once it is revoked the index lives to its last entry")
    void indexOutlivesSessionWithoutLifetime() {
        setting("session_max_lifetime", "0");
        ConfirmedLogin unlimited = w.login(EMAIL);
        setting("session_max_lifetime", "24h");
        setting("resend_cooldown", "0");
        ConfirmedLogin limited = w.login(EMAIL);
        assertThat(keysWithTtl().get(userKey("active", limited.userId()))).isEqualTo(-1);
        w.auth.revokeSession(unlimited.deviceSessionId(), Optional.empty());
        assertThat(keysWithTtl().get(userKey("active", limited.userId())))
                .isCloseTo(Duration.ofHours(24).plus(RETENTION).toMillis(), within(SLACK_MS));
    }

    @Test
    @DisplayName("extend: the session's record and index live to the new expiry plus the retention, its snapshot to the new expiry")
    void extend() {
        setting("session_idle_timeout", "1h");
        ConfirmedLogin login = w.login(EMAIL);
        assertThat(keysWithTtl().get(snapshotKey(login.deviceSessionId())))
                .isCloseTo(Duration.ofHours(1).toMillis(), within(SLACK_MS));
        w.clock.advance(Duration.ofMinutes(30));
        w.auth.extendSession(login.deviceSessionId());
        Map<String, Long> keys = keysWithTtl();
        // The service clock moved 35 minutes, Redis's did not: TTLs count from the service clock.
        assertThat(keys.get(snapshotKey(login.deviceSessionId()))).isCloseTo(Duration.ofHours(1).toMillis(), within(SLACK_MS));
        assertThat(keys.get(sessionKey(login.deviceSessionId())))
                .isCloseTo(Duration.ofHours(1).plus(RETENTION).toMillis(), within(SLACK_MS));
        assertThat(keys.get(userKey("active", login.userId())))
                .isCloseTo(Duration.ofHours(1).plus(RETENTION).toMillis(), within(SLACK_MS));
    }

    @Test
    @DisplayName("revoke: the session, its snapshot and the revoked index live for the retention; the empty active index goes")
    void revoke() {
        ConfirmedLogin login = w.login(EMAIL);
        w.clock.advance(Duration.ofMinutes(10));
        w.auth.revokeSession(login.deviceSessionId(), Optional.of("logout"));
        Map<String, Long> keys = keysWithTtl();
        long retention = RETENTION.toMillis();
        assertThat(keys.get(sessionKey(login.deviceSessionId()))).isCloseTo(retention, within(SLACK_MS));
        assertThat(keys.get(userKey("revoked", login.userId()))).isCloseTo(retention, within(SLACK_MS));
        assertThat(keys.get(snapshotKey(login.deviceSessionId()))).isCloseTo(retention, within(SLACK_MS));
        assertThat(keys).doesNotContainKey(userKey("active", login.userId()));
        assertThat(keys.get(stream())).isEqualTo(-1);
    }

    @Test
    @DisplayName("with a lifetime in force, every flow leaves only keys with a TTL (but the settings hash and the stream),"
            + " and no key name holds the address")
    void everyFlow() {
        setting("max_active_sessions_per_user", "2");
        setting("resend_cooldown", "0");
        setting("session_idle_timeout", "2h");
        List<ConfirmedLogin> logins = List.of(w.login(EMAIL), w.login(EMAIL), w.login(EMAIL));
        String throttledOrNot = w.auth.sendEmailCode(EMAIL);
        try {
            w.auth.confirmEmailCode(ConfirmRequest.of(throttledOrNot, "000000"));
        } catch (RuntimeException maybe) {
            // the code is random: a wrong one is likely, a right one is fine too
        }
        w.users.registerBlocked("blocked@example.com");
        w.auth.sendEmailCode("blocked@example.com");
        w.clock.advance(Duration.ofMinutes(30));
        w.auth.extendSession(logins.get(2).deviceSessionId());
        w.auth.listSessions(logins.get(0).userId(), Optional.empty());
        w.auth.revokeSession(logins.get(2).deviceSessionId(), Optional.empty());
        w.auth.revokeAllSessions(logins.get(0).userId(), Optional.empty());

        Map<String, Long> keys = keysWithTtl();
        assertThat(keys).allSatisfy((key, ttl) -> {
            boolean mayBePersistent = key.equals(prefix() + "config") || key.equals(stream());
            assertThat(key).startsWith(keyspace.namespace).doesNotContain("@", "example.com");
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
