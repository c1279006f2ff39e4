package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.error.InvalidSettingException;
import io.authsession.redis.RedisSettings.Endpoint;
import io.authsession.redis.RedisSettings.Mode;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    private static void refused(Supplier<RedisSettings> settings, String setting, String rule) {
        assertThatThrownBy(settings::get).isInstanceOfSatisfying(InvalidSettingException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.rule()).contains(rule);
        });
    }

    @Test
    @DisplayName("standalone by default, on 127.0.0.1:6379, waiting for no replica")
    void defaults() {
        RedisSettings settings = RedisSettings.builder().build();
        assertThat(settings.mode()).isEqualTo(Mode.STANDALONE);
        assertThat(settings.startNodes()).containsExactly(new Endpoint("127.0.0.1", 6379));
        assertThat(settings.minReplicasAck()).isZero();
        assertThat(settings.replicaAckTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    @DisplayName("modes are named standalone, sentinel and cluster, in any case")
    void modeNames() {
        assertThat(Mode.fromName("Cluster")).isEqualTo(Mode.CLUSTER);
        assertThat(Mode.fromName(" sentinel ")).isEqualTo(Mode.SENTINEL);
        assertThatThrownBy(() -> Mode.fromName("replicated")).isInstanceOfSatisfying(InvalidSettingException.class,
                e -> assertThat(e.setting()).isEqualTo("mode"));
    }

    @Test
    @DisplayName("sentinel mode needs sentinels and a master name, and keeps the sentinel password out of toString")
    void sentinel() {
        RedisSettings settings = RedisSettings.builder().sentinel("authsession", "s1:26379", "[::1]:26380")
                .sentinelUsername("watcher").sentinelPassword("secret").password("data-secret").build();
        assertThat(settings.startNodes()).containsExactly(new Endpoint("s1", 26379), new Endpoint("::1", 26380));
        assertThat(settings.toString()).contains("sentinel", "authsession", "[::1]:26380").doesNotContain("secret");
        refused(() -> RedisSettings.builder().mode(Mode.SENTINEL).sentinelMasterName("m").build(), "sentinels",
                "required in sentinel mode");
        refused(() -> RedisSettings.builder().mode(Mode.SENTINEL).sentinels(java.util.List.of("s:1")).build(),
                "sentinelMasterName", "required in sentinel mode");
        refused(() -> RedisSettings.builder().sentinels(java.util.List.of("s:1")).build(), "sentinels",
                "only used in sentinel mode");
        refused(() -> RedisSettings.builder().sentinel("m", "s1").build(), "sentinels", "'s1' is not host:port");
    }

    @Test
    @DisplayName("cluster mode needs seeds, database 0, an untagged key prefix and gateway names with one hash tag")
    void cluster() {
        RedisSettings.Builder tagged = RedisSettings.builder().cluster("n1:7000", "n2:7001")
                .gatewaySessionKeyPrefix("{gateway}session:").gatewayEventsStream("{gateway}session_events");
        assertThat(tagged.build().startNodes()).containsExactly(new Endpoint("n1", 7000), new Endpoint("n2", 7001));
        refused(() -> tagged.database(3).build(), "database", "must be 0 in cluster mode, got 3");
        refused(() -> tagged.database(0).keyPrefix("{as}:").build(), "keyPrefix", "must not contain '{' or '}'");
        refused(() -> tagged.keyPrefix("authsession:").gatewayEventsStream("gateway:session_events").build(),
                RedisSettings.GATEWAY_NAMES, "must share one hash tag");
        refused(() -> tagged.gatewayEventsStream("{gw}session_events").build(), RedisSettings.GATEWAY_NAMES,
                "{gateway}session:");
        refused(() -> tagged.gatewaySessionKeyPrefix("{}session:").gatewayEventsStream("{}events").build(),
                RedisSettings.GATEWAY_NAMES, "must share one hash tag");
        refused(() -> RedisSettings.builder().mode(Mode.CLUSTER).gatewaySessionKeyPrefix("{g}s:")
                .gatewayEventsStream("{g}e").build(), "clusterNodes", "at least one seed node");
        refused(() -> RedisSettings.builder().clusterNodes(java.util.List.of("n1:7000")).build(), "clusterNodes",
                "only used in cluster mode");
    }

    @Test
    @DisplayName("untagged gateway names are fine outside cluster mode")
    void untaggedStandalone() {
        assertThat(RedisSettings.builder().gatewaySessionKeyPrefix("gateway:session:").build().mode())
                .isEqualTo(Mode.STANDALONE);
    }

    @Test
    @DisplayName("the hash tag of a name is what Redis Cluster hashes: the first non-empty {...}")
    void hashTags() {
        assertThat(RedisSettings.hashTagOf("{gateway}session:")).contains("gateway");
        assertThat(RedisSettings.hashTagOf("gw:{a}{b}")).contains("a");
        assertThat(RedisSettings.hashTagOf("{}{a}")).isEmpty();
        assertThat(RedisSettings.hashTagOf("gateway:session:")).isEmpty();
        assertThat(RedisSettings.hashTagOf("{gateway:session:")).isEmpty();
    }

    @Test
    @DisplayName("durable writes wait for 0 to 100 replicas, for less than a socket timeout")
    void replicas() {
        assertThat(RedisSettings.builder().minReplicasAck(1).replicaAckTimeout(Duration.ofMillis(200)).build()
                .minReplicasAck()).isEqualTo(1);
        refused(() -> RedisSettings.builder().minReplicasAck(-1).build(), "minReplicasAck", "between 0 and 100");
        refused(() -> RedisSettings.builder().minReplicasAck(101).build(), "minReplicasAck", "between 0 and 100");
        refused(() -> RedisSettings.builder().replicaAckTimeout(Duration.ZERO).build(), "replicaAckTimeout",
                "must be positive");
        refused(() -> RedisSettings.builder().minReplicasAck(1).replicaAckTimeout(Duration.ofSeconds(2)).build(),
                "replicaAckTimeout", "shorter than socketTimeout (2000ms)");
    }

    @Test
    @DisplayName("a request never waits longer for a pooled connection than for a reply")
    void poolWait() {
        refused(() -> RedisSettings.builder().poolMaxWait(Duration.ofSeconds(3)).build(), "poolMaxWait",
                "must not be longer than socketTimeout (2000ms)");
        assertThat(RedisSettings.builder().poolMaxWait(Duration.ofSeconds(2)).build().poolMaxWait())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("an address is host:port, an IPv6 host in brackets, with a port from 1 to 65535")
    void addresses() {
        assertThat(RedisSettings.builder().address("[::1]:6380").build().host()).isEqualTo("::1");
        refused(() -> RedisSettings.builder().address("localhost").build(), "address", "is not host:port");
        refused(() -> RedisSettings.builder().address("h:0").build(), "address", "between 1 and 65535, got 0");
        refused(() -> RedisSettings.builder().address("h:x").build(), "address", "no numeric port");
    }
}
