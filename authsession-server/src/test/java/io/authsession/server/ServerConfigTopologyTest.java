package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.redis.RedisSettings;
import io.authsession.redis.RedisSettings.Endpoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CONTRACT §7.1: the Redis topology variables, read and validated like every other. */
class ServerConfigTopologyTest {
    private static final String TAGGED_PREFIX = "{gateway}session:";
    private static final String TAGGED_STREAM = "{gateway}session_events";

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    @DisplayName("standalone by default, waiting for no replica")
    void defaults() throws Exception {
        RedisSettings redis = ServerConfig.fromEnvironment(Map.of(), false).redis();
        assertThat(redis.mode()).isEqualTo(RedisSettings.Mode.STANDALONE);
        assertThat(redis.minReplicasAck()).isZero();
        assertThat(redis.replicaAckTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    @DisplayName("cluster: AUTHSESSION_REDIS_ADDR lists the seed nodes; the gateway names share a hash tag")
    void cluster() throws Exception {
        RedisSettings redis = ServerConfig.fromEnvironment(env("AUTHSESSION_REDIS_MODE", "cluster",
                "AUTHSESSION_REDIS_ADDR", "n1:7000, n2:7001,[::1]:7002",
                "AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX", TAGGED_PREFIX,
                "AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM", TAGGED_STREAM), false).redis();
        assertThat(redis.mode()).isEqualTo(RedisSettings.Mode.CLUSTER);
        assertThat(redis.clusterNodes()).containsExactly(new Endpoint("n1", 7000), new Endpoint("n2", 7001),
                new Endpoint("::1", 7002));
    }

    @Test
    @DisplayName("sentinel: the sentinels, the master name and the sentinels' own credentials; the address is not used")
    void sentinel() throws Exception {
        RedisSettings redis = ServerConfig.fromEnvironment(env("AUTHSESSION_REDIS_MODE", "Sentinel",
                "AUTHSESSION_REDIS_SENTINELS", "s1:26379,s2:26379,s3:26379",
                "AUTHSESSION_REDIS_SENTINEL_MASTER", "authsession",
                "AUTHSESSION_REDIS_SENTINEL_USERNAME", "watcher",
                "AUTHSESSION_REDIS_SENTINEL_PASSWORD", "sentinel-secret",
                "AUTHSESSION_REDIS_ADDR", "not used at all",
                "AUTHSESSION_REDIS_MIN_REPLICAS_ACK", "1",
                "AUTHSESSION_REDIS_REPLICA_ACK_TIMEOUT", "250ms"), false).redis();
        assertThat(redis.mode()).isEqualTo(RedisSettings.Mode.SENTINEL);
        assertThat(redis.sentinels()).hasSize(3).first().isEqualTo(new Endpoint("s1", 26379));
        assertThat(redis.sentinelMasterName()).contains("authsession");
        assertThat(redis.sentinelUsername()).contains("watcher");
        assertThat(redis.sentinelPassword()).contains("sentinel-secret");
        assertThat(redis.minReplicasAck()).isEqualTo(1);
        assertThat(redis.replicaAckTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(redis.toString()).doesNotContain("sentinel-secret");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an unknown mode | AUTHSESSION_REDIS_MODE=replicated"
                + " | AUTHSESSION_REDIS_MODE: must be standalone, sentinel or cluster, got 'replicated'",
        "several nodes without cluster mode | AUTHSESSION_REDIS_ADDR=a:1;b:2"
                + " | AUTHSESSION_REDIS_ADDR: 'a:1,b:2' lists several nodes",
        "a malformed seed node | AUTHSESSION_REDIS_MODE=cluster,AUTHSESSION_REDIS_ADDR=a:1;b"
                + " | AUTHSESSION_REDIS_ADDR: 'b' is not host:port",
        "an empty seed node | AUTHSESSION_REDIS_MODE=cluster,AUTHSESSION_REDIS_ADDR=a:1;"
                + " | AUTHSESSION_REDIS_ADDR: '' is not host:port",
        "a database on a cluster | AUTHSESSION_REDIS_MODE=cluster,AUTHSESSION_REDIS_DB=2"
                + " | AUTHSESSION_REDIS_DB: must be 0 in cluster mode, got 2",
        "a tagged key prefix on a cluster | AUTHSESSION_REDIS_MODE=cluster,AUTHSESSION_REDIS_KEY_PREFIX={as}:"
                + " | AUTHSESSION_REDIS_KEY_PREFIX: must not contain '{' or '}' in cluster mode",
        "sentinel mode without sentinels | AUTHSESSION_REDIS_MODE=sentinel,AUTHSESSION_REDIS_SENTINEL_MASTER=m"
                + " | AUTHSESSION_REDIS_SENTINELS: is required when AUTHSESSION_REDIS_MODE=sentinel",
        "sentinel mode without a master name | AUTHSESSION_REDIS_MODE=sentinel,AUTHSESSION_REDIS_SENTINELS=s:1"
                + " | AUTHSESSION_REDIS_SENTINEL_MASTER: is required when AUTHSESSION_REDIS_MODE=sentinel",
        "a malformed sentinel | AUTHSESSION_REDIS_MODE=sentinel,AUTHSESSION_REDIS_SENTINEL_MASTER=m,"
                + "AUTHSESSION_REDIS_SENTINELS=s:1;s:x | AUTHSESSION_REDIS_SENTINELS: 's:x' has no numeric port",
        "sentinels without sentinel mode | AUTHSESSION_REDIS_SENTINELS=s:1"
                + " | AUTHSESSION_REDIS_SENTINELS: only used in sentinel mode (the mode is standalone)",
        "a master name without sentinel mode | AUTHSESSION_REDIS_MODE=cluster,AUTHSESSION_REDIS_SENTINEL_MASTER=m"
                + " | AUTHSESSION_REDIS_SENTINEL_MASTER: only used in sentinel mode (the mode is cluster)",
        "negative replicas | AUTHSESSION_REDIS_MIN_REPLICAS_ACK=-1"
                + " | AUTHSESSION_REDIS_MIN_REPLICAS_ACK: must be at least 0, got -1",
        "too many replicas | AUTHSESSION_REDIS_MIN_REPLICAS_ACK=101"
                + " | AUTHSESSION_REDIS_MIN_REPLICAS_ACK: must be at most 100, got 101",
        "a malformed ack timeout | AUTHSESSION_REDIS_REPLICA_ACK_TIMEOUT=soon"
                + " | AUTHSESSION_REDIS_REPLICA_ACK_TIMEOUT: 'soon' is not a duration",
        "an ack timeout past the socket timeout | AUTHSESSION_REDIS_MIN_REPLICAS_ACK=1,"
                + "AUTHSESSION_REDIS_REPLICA_ACK_TIMEOUT=2s"
                + " | AUTHSESSION_REDIS_REPLICA_ACK_TIMEOUT: must be shorter than socketTimeout (2000ms)",
        "a pool wait past the socket timeout | AUTHSESSION_REDIS_POOL_MAX_WAIT=5s"
                + " | AUTHSESSION_REDIS_POOL_MAX_WAIT: must not be longer than socketTimeout (2000ms), got 5000ms",
    })
    @DisplayName("an invalid topology is refused with one message that starts with the variable's name")
    void invalid(String description, String variables, String message) {
        Map<String, String> env = new HashMap<>(Map.of("AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX", TAGGED_PREFIX,
                "AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM", TAGGED_STREAM));
        for (String pair : variables.split(",")) {
            int equals = pair.indexOf('=');
            // ';' stands for ',' inside a value (the CSV source splits on commas).
            env.put(pair.substring(0, equals), pair.substring(equals + 1).replace(';', ','));
        }
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env, false))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    @DisplayName("cluster mode refuses gateway names without a common hash tag, naming both variables")
    void untaggedGatewayNames() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("AUTHSESSION_REDIS_MODE", "cluster",
                "AUTHSESSION_REDIS_ADDR", "n1:7000"), false))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX and"
                        + " AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM: must share one hash tag in cluster mode")
                .hasMessageContaining("got 'gateway:session:' and 'gateway:session_events'");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("AUTHSESSION_REDIS_MODE", "cluster",
                "AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX", "{gw}session:",
                "AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM", "{gateway}session_events"), false))
                .hasMessageStartingWith("AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX and"
                        + " AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM: must share one hash tag");
    }

    @Test
    @DisplayName("the test suite's topology variables are known, not warned about")
    void testVariables() throws Exception {
        assertThat(ServerConfig.fromEnvironment(env("AUTHSESSION_TEST_REDIS_CLUSTER_URL", "redis://h:1",
                "AUTHSESSION_TEST_REDIS_SENTINEL_URL", "redis-sentinel://h:1/m"), false).unknownVariables()).isEmpty();
    }
}
