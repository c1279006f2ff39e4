package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.embedded.RespClient;
import io.authsession.testkit.MutableClock;
import io.authsession.testkit.RedisEndpoint;
import io.authsession.testkit.RedisTestCluster;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** What is particular to Redis Cluster: every primary gets the scripts and the eviction check; SCAN walks them all. */
class ClusterAdaptersTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TestKeyspace keyspace = TestKeyspace.cluster();
    private final RedisTestCluster cluster = RedisTestCluster.shared();
    private final MutableClock clock = MutableClock.create();

    @AfterEach
    void close() throws Exception {
        keyspace.close();
    }

    private DeviceSession newSession(String userId) {
        return DeviceSession.active(SessionIds.newId(userId, RANDOM), userId, clock.instant(), Optional.empty(),
                Optional.empty());
    }

    private void flushScripts() {
        for (RedisEndpoint primary : cluster.primaries()) {
            try (RespClient client = cluster.connect(primary)) {
                client.call("SCRIPT", "FLUSH");
            }
        }
    }

    @Test
    @DisplayName("the adapters see the three primaries, in a stable order")
    void primaries() {
        RedisAdapters adapters = keyspace.adapters(clock);
        assertThat(adapters.commands().primaries()).hasSize(3)
                .containsExactlyInAnyOrderElementsOf(cluster.primaries().stream().map(RedisEndpoint::toString).toList())
                .isSorted();
    }

    @Test
    @DisplayName("scripts are loaded on every primary; a primary that forgot them gets them again on NOSCRIPT")
    void scriptsOnEveryPrimary() {
        assumeTrue(cluster.isPrivate(), "flushes the script caches");
        RedisAdapters adapters = keyspace.adapters(clock);
        flushScripts();
        adapters.loadScripts();
        String[] shas = LuaScript.ALL.stream().map(LuaScript::sha1).toArray(String[]::new);
        for (RedisEndpoint primary : cluster.primaries()) {
            List<String> exists = new ArrayList<>(List.of("SCRIPT", "EXISTS"));
            exists.addAll(List.of(shas));
            try (RespClient client = cluster.connect(primary)) {
                List<?> known = (List<?>) client.call(exists.toArray(String[]::new));
                assertThat(known.stream().map(Object::toString).toList()).as(primary.toString())
                        .hasSize(shas.length).containsOnly("1");
            }
        }

        flushScripts();
        List<String> seen = new ArrayList<>();
        adapters.commands().listen((operation, commands) -> seen.add(operation));
        DeviceSession a = newSession("u1");
        DeviceSession b = newSession("u1");
        adapters.sessionStore().create(a, 0, Duration.ofHours(1));
        adapters.sessionStore().create(b, 0, Duration.ofHours(1));
        assertThat(adapters.projectionPublisher().publishAll(List.of(SessionSnapshot.of(a, Duration.ofHours(1)),
                SessionSnapshot.of(b, Duration.ofHours(1))))).hasSize(2);
        assertThat(seen).containsExactly("create session", "create session (script sent again)", "create session",
                "publish projection", "publish projection (script sent again)");
    }

    @Test
    @DisplayName("an evicting maxmemory policy is reported for the one primary that has it")
    void evictionPolicyPerPrimary() {
        assumeTrue(cluster.isPrivate(), "changes a node's configuration");
        RedisAdapters adapters = keyspace.adapters(clock);
        RedisEndpoint primary = cluster.primaries().get(1);
        try (RespClient client = cluster.connect(primary)) {
            client.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            client.call("CONFIG", "SET", "maxmemory", "1gb");
            try {
                assertThat(adapters.evictingMaxmemoryPolicies()).containsExactlyEntriesOf(
                        java.util.Map.of(primary.toString(), "allkeys-lru"));
                assertThat(adapters.evictingMaxmemoryPolicy()).contains("allkeys-lru");
            } finally {
                client.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
                client.call("CONFIG", "SET", "maxmemory", "0");
            }
        }
        assertThat(adapters.evictingMaxmemoryPolicies()).isEmpty();
    }

    @Test
    @DisplayName("SCAN on each primary in turn finds every key, wherever its slot lives")
    void scanEveryPrimary() {
        RedisAdapters adapters = keyspace.adapters(clock);
        Set<String> written = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            DeviceSession session = newSession("user-" + i);
            adapters.sessionStore().create(session, 0, Duration.ofHours(1));
            written.add(keyspace.keys().session(session.id()));
            written.add(keyspace.keys().user("user-" + i).activeSessions());
        }
        Set<String> found = new HashSet<>();
        Set<String> nodesWithKeys = new HashSet<>();
        ScanParams match = new ScanParams().match(keyspace.namespace + "*").count(100);
        for (String primary : adapters.commands().primaries()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                String from = cursor;
                ScanResult<String> page = adapters.commands().onPrimary("scan keys", primary,
                        jedis -> jedis.scan(from, match));
                if (!page.getResult().isEmpty()) {
                    nodesWithKeys.add(primary);
                }
                found.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        assertThat(found).isEqualTo(written);
        assertThat(nodesWithKeys).hasSize(3);
    }
}
