package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.DependencyUnavailableException;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Connects as an ACL user that may only touch authsession's prefix and the gateway's names, in a non-zero database.
 * Any key outside those names would fail with NOPERM, so a full flow passing also proves the prefixes are respected.
 */
class RedisAclTest {
    private static final int DATABASE = 3;

    private final TestKeyspace keyspace = new TestKeyspace();
    private final String user = "authsession-test-" + UUID.randomUUID();
    private final String password = UUID.randomUUID().toString();

    @AfterEach
    void dropUser() throws Exception {
        if (keyspace.server.isPrivate()) {
            admin(jedis -> jedis.aclDelUser(user));
        }
        keyspace.close();
    }

    private <T> T admin(java.util.function.Function<Jedis, T> call) {
        try (Jedis jedis = new Jedis(keyspace.server.host(), keyspace.server.port())) {
            return call.apply(jedis);
        }
    }

    private RedisSettings aclSettings(String password) {
        return keyspace.settings().toBuilder().username(user).password(password).database(DATABASE).build();
    }

    @Test
    @DisplayName("a full flow works as an ACL user limited to authsession's key names, in database 3")
    void fullFlow() {
        assumeTrue(keyspace.server.isPrivate(), "needs a test server of its own to create ACL users");
        String ns = keyspace.namespace;
        admin(jedis -> jedis.aclSetUser(user, "on", ">" + password, "+@all", "-@dangerous", "+info",
                "~" + ns + "authsession:*", "~" + ns + "gateway:session:*", "~" + ns + "gateway:session_events"));

        RedisWiring w = new RedisWiring(keyspace, aclSettings(password));
        w.redis.challengeStore().ping();
        ConfirmedLogin first = w.login("acl@example.com");
        w.clock.advance(java.time.Duration.ofMinutes(2));
        ConfirmedLogin second = w.login("acl@example.com");
        w.auth.revokeSession(first.deviceSessionId(), Optional.empty());
        assertThat(w.auth.listSessions(first.userId(), Optional.of(SessionStatus.ACTIVE)))
                .extracting(s -> s.id()).containsExactly(second.deviceSessionId());
        assertThat(w.auth.revokeAllSessions(first.userId(), Optional.empty())).isEqualTo(1);
        assertThat(w.redis.evictingMaxmemoryPolicy()).isEmpty();

        boolean inDatabase3 = admin(jedis -> {
            jedis.select(DATABASE);
            return jedis.exists(ns + "gateway:session:" + first.deviceSessionId());
        });
        boolean inDatabase0 = admin(jedis -> jedis.exists(ns + "gateway:session:" + first.deviceSessionId()));
        assertThat(inDatabase3).isTrue();
        assertThat(inDatabase0).isFalse();
    }

    @Test
    @DisplayName("a wrong password is a dependency failure on ping")
    void wrongPassword() {
        assumeTrue(keyspace.server.isPrivate(), "needs a test server of its own to create ACL users");
        admin(jedis -> jedis.aclSetUser(user, "on", ">" + password, "+@all", "~*"));
        RedisAdapters adapters = keyspace.adapters(aclSettings("wrong"), java.time.Clock.systemUTC());
        assertThatThrownBy(() -> adapters.sessionStore().ping()).isInstanceOf(DependencyUnavailableException.class);
    }
}
