package io.authsession.redis;

import io.authsession.core.domain.RuntimeSettings;
import io.authsession.testkit.RedisEndpoint;
import io.authsession.testkit.RedisTestCluster;
import io.authsession.testkit.RedisTestSentinel;
import io.authsession.testkit.RedisTestServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A shared test Redis (the standalone server, the cluster or the Sentinel group of the testkit) with key names of
 * this test's own (a random prefix for authsession's keys, the gateway's snapshot keys and stream), so tests never see
 * each other's data. On the cluster the gateway's names share a hash tag of the test's own, as the cluster mode
 * requires. Closes what it opened.
 */
final class TestKeyspace implements AutoCloseable {
    /** Which shared topology. */
    enum Topology { STANDALONE, CLUSTER, SENTINEL }

    final String namespace = "t-" + UUID.randomUUID() + ":";
    final Topology topology;
    private boolean slotChecked;
    /** The standalone server, also for tests of the other topologies that need a plain server too. */
    final RedisTestServer server;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private UnifiedJedis raw;

    /** The standalone test server. */
    TestKeyspace() {
        this(Topology.STANDALONE);
    }

    private TestKeyspace(Topology topology) {
        this.topology = topology;
        this.server = topology == Topology.STANDALONE ? RedisTestServer.shared() : null;
    }

    /** The shared three-primary test cluster. */
    static TestKeyspace cluster() {
        RedisTestCluster.shared();
        return new TestKeyspace(Topology.CLUSTER);
    }

    /**
     * The standalone test server, with every script the adapters run checked for keys outside the slot of its first
     * key ({@link SlotCheck}): what Redis Cluster requires, checked deterministically on one server.
     */
    static TestKeyspace slotChecked() {
        TestKeyspace keyspace = new TestKeyspace(Topology.STANDALONE);
        keyspace.slotChecked = true;
        return keyspace;
    }

    /** The shared Sentinel group. */
    static TestKeyspace sentinel() {
        RedisTestSentinel.shared();
        return new TestKeyspace(Topology.SENTINEL);
    }

    /** Settings pointing at the test topology, with this test's key names. */
    RedisSettings settings() {
        RedisSettings.Builder builder = RedisSettings.builder().keyPrefix(namespace + "authsession:");
        Optional<String> userInfo;
        switch (topology) {
            case CLUSTER -> {
                RedisTestCluster cluster = RedisTestCluster.shared();
                builder.cluster(cluster.seeds().stream().map(RedisEndpoint::toString).toArray(String[]::new))
                        .gatewaySessionKeyPrefix("{" + namespace + "gateway}session:")
                        .gatewayEventsStream("{" + namespace + "gateway}session_events");
                userInfo = cluster.userInfo();
            }
            case SENTINEL -> {
                RedisTestSentinel group = RedisTestSentinel.shared();
                builder.sentinel(group.masterName(), group.sentinels().stream().map(RedisEndpoint::toString)
                                .toArray(String[]::new))
                        .gatewaySessionKeyPrefix(namespace + "gateway:session:")
                        .gatewayEventsStream(namespace + "gateway:session_events");
                userInfo = group.userInfo();
            }
            default -> {
                // Slot-checked, the projection needs the gateway names of a cluster: one hash tag.
                builder.host(server.host()).port(server.port())
                        .gatewaySessionKeyPrefix(slotChecked ? "{" + namespace + "gateway}session:"
                                : namespace + "gateway:session:")
                        .gatewayEventsStream(slotChecked ? "{" + namespace + "gateway}session_events"
                                : namespace + "gateway:session_events");
                userInfo = server.userInfo();
            }
        }
        userInfo.ifPresent(info -> {
            int colon = info.indexOf(':');
            if (colon < 0) {
                builder.password(info);
            } else {
                if (colon > 0) {
                    builder.username(info.substring(0, colon));
                }
                builder.password(info.substring(colon + 1));
            }
        });
        return builder.build();
    }

    RedisAdapters adapters(Clock clock) {
        return adapters(settings(), clock);
    }

    RedisAdapters adapters(RedisSettings settings, Clock clock) {
        return adapters(settings, clock, RuntimeSettings.DEFAULTS);
    }

    RedisAdapters adapters(RedisSettings settings, Clock clock, RuntimeSettings defaults) {
        RedisAdapters adapters = RedisAdapters.create(settings, clock, defaults);
        opened.add(adapters);
        if (slotChecked) {
            SlotCheck.install(adapters);
        }
        return adapters;
    }

    RedisKeys keys() {
        return new RedisKeys(settings());
    }

    /** A plain client on the same topology and database, to look at what the adapters wrote. */
    UnifiedJedis raw() {
        if (raw == null) {
            RedisSettings settings = settings();
            DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().database(settings.database());
            settings.username().ifPresent(config::user);
            settings.password().ifPresent(config::password);
            raw = switch (topology) {
                case CLUSTER -> RedisClusterClient.builder().nodes(settings.clusterNodes().stream()
                                .map(node -> new HostAndPort(node.host(), node.port()))
                                .collect(java.util.stream.Collectors.toSet()))
                        .clientConfig(config.build()).build();
                case SENTINEL -> {
                    RedisEndpoint primary = RedisTestSentinel.shared().primary();
                    yield RedisClient.builder().hostAndPort(primary.host(), primary.port()).clientConfig(config.build())
                            .build();
                }
                default -> RedisClient.builder().hostAndPort(settings.host(), settings.port())
                        .clientConfig(config.build()).build();
            };
            opened.add(raw);
        }
        return raw;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
        raw = null;
    }
}
