package io.authsession.server;

import io.authsession.testkit.RedisEndpoint;
import io.authsession.testkit.RedisTestCluster;
import io.authsession.testkit.RedisTestSentinel;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The variables that put a server on the testkit's shared Redis Cluster or Sentinel group, under key names of a
 * namespace of its own (on the cluster the gateway's names share a tag of the namespace), and plain clients that look
 * at what it wrote.
 */
final class Topologies {
    private Topologies() {}

    /** The gateway's snapshot prefix of {@code namespace} on the cluster. */
    static String clusterSnapshotPrefix(String namespace) {
        return "{" + namespace + "gateway}session:";
    }

    /** The gateway's stream of {@code namespace} on the cluster. */
    static String clusterStream(String namespace) {
        return "{" + namespace + "gateway}session_events";
    }

    static Map<String, String> cluster(String namespace) {
        RedisTestCluster cluster = RedisTestCluster.shared();
        Map<String, String> env = new HashMap<>();
        env.put("AUTHSESSION_REDIS_MODE", "cluster");
        env.put("AUTHSESSION_REDIS_ADDR", cluster.seeds().stream().map(RedisEndpoint::toString)
                .collect(Collectors.joining(",")));
        env.put("AUTHSESSION_REDIS_KEY_PREFIX", namespace + "authsession:");
        env.put("AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX", clusterSnapshotPrefix(namespace));
        env.put("AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM", clusterStream(namespace));
        credentials(cluster.userInfo(), env);
        return env;
    }

    static Map<String, String> sentinel(String namespace) {
        RedisTestSentinel group = RedisTestSentinel.shared();
        Map<String, String> env = new HashMap<>();
        env.put("AUTHSESSION_REDIS_MODE", "sentinel");
        env.put("AUTHSESSION_REDIS_SENTINELS", group.sentinels().stream().map(RedisEndpoint::toString)
                .collect(Collectors.joining(",")));
        env.put("AUTHSESSION_REDIS_SENTINEL_MASTER", group.masterName());
        env.put("AUTHSESSION_REDIS_KEY_PREFIX", namespace + "authsession:");
        env.put("AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX", namespace + "gateway:session:");
        env.put("AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM", namespace + "gateway:session_events");
        credentials(group.userInfo(), env);
        return env;
    }

    /** A cluster client of the tests' own. */
    static UnifiedJedis clusterClient() {
        RedisTestCluster cluster = RedisTestCluster.shared();
        return RedisClusterClient.builder().nodes(cluster.seeds().stream()
                        .map(node -> new HostAndPort(node.host(), node.port())).collect(Collectors.toSet()))
                .clientConfig(config(cluster.userInfo())).build();
    }

    /** A client of the tests' own that follows the Sentinel group's primary. */
    static UnifiedJedis sentinelClient() {
        RedisTestSentinel group = RedisTestSentinel.shared();
        return RedisSentinelClient.builder().masterName(group.masterName())
                .sentinels(group.sentinels().stream().map(node -> new HostAndPort(node.host(), node.port()))
                        .collect(Collectors.toSet()))
                .clientConfig(config(group.userInfo())).build();
    }

    private static JedisClientConfig config(Optional<String> userInfo) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder();
        userInfo.ifPresent(info -> {
            int colon = info.indexOf(':');
            if (colon > 0) {
                config.user(info.substring(0, colon));
            }
            config.password(colon < 0 ? info : info.substring(colon + 1));
        });
        return config.build();
    }

    private static void credentials(Optional<String> userInfo, Map<String, String> env) {
        userInfo.ifPresent(info -> {
            int colon = info.indexOf(':');
            if (colon > 0) {
                env.put("AUTHSESSION_REDIS_USERNAME", info.substring(0, colon));
            }
            env.put("AUTHSESSION_REDIS_PASSWORD", colon < 0 ? info : info.substring(colon + 1));
        });
    }
}
