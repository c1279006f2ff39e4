package io.authsession.redis;

import io.authsession.redis.RedisSettings.Endpoint;
import io.authsession.redis.RedisSettings.Mode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.util.Delay;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.Pool;

/**
 * The Redis deployment of the settings, on Jedis's own client for it ({@link RedisClient},
 * {@link RedisSentinelClient} or {@link RedisClusterClient}, all {@link UnifiedJedis}), built on a connection
 * provider this class keeps. Commands go through the client, which follows Sentinel failovers and cluster
 * redirections itself; the provider is there for what a client does not offer: a connection to the primary of a
 * key (for {@code WAIT}, which must follow the write on the same connection, and for single-slot pipelines), every
 * primary in turn (script loading, the eviction-policy check, {@code SCAN}), and dropping idle connections after one
 * of them was found broken.
 */
final class RedisTopology implements AutoCloseable {
    /** How soon a sentinel listener subscribes again after losing its sentinel (Jedis's default is 5 s flat). */
    private static final Delay SENTINEL_RECONNECT = Delay.exponentialWithJitter(Duration.ofMillis(100),
            Duration.ofSeconds(5), Duration.ofMillis(100));
    /** Attempts of one cluster command (redirections, connection failures); Jedis's default. */
    private static final int CLUSTER_MAX_ATTEMPTS = 5;

    private final Mode mode;
    private final UnifiedJedis client;
    private final ConnectionProvider provider;

    private RedisTopology(Mode mode, UnifiedJedis client, ConnectionProvider provider) {
        this.mode = mode;
        this.client = client;
        this.provider = provider;
    }

    /**
     * The client of {@code settings}. A standalone client connects on first use; a Sentinel client asks the
     * sentinels for the primary, and a cluster client asks the seed nodes for the slots, right away.
     *
     * @throws redis.clients.jedis.exceptions.JedisException when no sentinel or seed node answers
     */
    static RedisTopology connect(RedisSettings settings) {
        JedisClientConfig data = dataConfig(settings);
        ConnectionPoolConfig pool = poolConfig(settings);
        return switch (settings.mode()) {
            case STANDALONE -> {
                HostAndPort server = new HostAndPort(settings.host(), settings.port());
                PooledConnectionProvider provider = new PooledConnectionProvider(server, data, pool);
                yield new RedisTopology(Mode.STANDALONE, RedisClient.builder().hostAndPort(server).clientConfig(data)
                        .connectionProvider(provider).build(), provider);
            }
            case SENTINEL -> {
                Set<HostAndPort> sentinels = hostsAndPorts(settings.sentinels());
                String master = settings.sentinelMasterName().orElseThrow();
                JedisClientConfig sentinel = sentinelConfig(settings);
                SentineledConnectionProvider provider = new SentineledConnectionProvider(master, data, pool, sentinels,
                        sentinel, SENTINEL_RECONNECT);
                yield new RedisTopology(Mode.SENTINEL, RedisSentinelClient.builder().masterName(master)
                        .sentinels(sentinels).clientConfig(data).sentinelClientConfig(sentinel)
                        .connectionProvider(provider).build(), provider);
            }
            case CLUSTER -> {
                Set<HostAndPort> seeds = hostsAndPorts(settings.clusterNodes());
                ClusterConnectionProvider provider = new ClusterConnectionProvider(seeds, data, pool);
                // Retries (redirections, a node that went away) stay within one socket timeout, so that a request
                // never waits on the cluster longer than on one reply.
                yield new RedisTopology(Mode.CLUSTER, RedisClusterClient.builder().nodes(seeds).clientConfig(data)
                        .connectionProvider(provider).maxAttempts(CLUSTER_MAX_ATTEMPTS)
                        .maxTotalRetriesDuration(settings.socketTimeout()).build(), provider);
            }
        };
    }

    Mode mode() {
        return mode;
    }

    boolean isCluster() {
        return mode == Mode.CLUSTER;
    }

    UnifiedJedis client() {
        return client;
    }

    /** A pooled connection to the primary serving {@code key} now (the primary, outside cluster mode); close it. */
    Connection connectionFor(String key) {
        if (provider instanceof ClusterConnectionProvider cluster) {
            return cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(key));
        }
        return provider.getConnection();
    }

    /** A pooled connection to the node a redirection named; close it. */
    Connection connectionTo(HostAndPort node) {
        if (provider instanceof ClusterConnectionProvider cluster) {
            return cluster.getConnection(node);
        }
        return provider.getConnection();
    }

    /** Asks the cluster where its slots are now (after a {@code MOVED}); nothing outside cluster mode. */
    void refreshSlots() {
        if (provider instanceof ClusterConnectionProvider cluster) {
            cluster.renewSlotCache();
        }
    }

    /**
     * The primaries serving data now, each with its pool, in a stable order ({@code host:port}): the server, or the
     * primary the sentinels named last, or every primary of the cluster.
     */
    Map<String, Pool<Connection>> primaries() {
        Map<String, Pool<Connection>> primaries = new TreeMap<>();
        provider.getPrimaryNodesConnectionMap()
                .forEach((node, pool) -> primaries.put(String.valueOf(node), poolOf(pool)));
        return primaries;
    }

    /**
     * Closes every idle pooled connection, so that the next command opens a new one: after one connection was found
     * broken (Redis restarted, or a proxy dropped idle connections), the others in the pool are very likely broken
     * too.
     */
    void dropIdleConnections() {
        Map<String, Pool<Connection>> pools = new LinkedHashMap<>();
        provider.getConnectionMap().forEach((node, pool) -> pools.put(String.valueOf(node), poolOf(pool)));
        pools.values().forEach(Pool::clear);
    }

    @Override
    public void close() {
        client.close();
    }

    @SuppressWarnings("unchecked")
    private static Pool<Connection> poolOf(Object pool) {
        return (Pool<Connection>) pool;
    }

    private static Set<HostAndPort> hostsAndPorts(List<Endpoint> endpoints) {
        return endpoints.stream().map(endpoint -> new HostAndPort(endpoint.host(), endpoint.port()))
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private static JedisClientConfig dataConfig(RedisSettings settings) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.toIntExact(settings.connectTimeout().toMillis()))
                .socketTimeoutMillis(Math.toIntExact(settings.socketTimeout().toMillis()))
                .database(settings.database())
                .clientName("authsession");
        if (settings.tls()) {
            // JVM trust store, full certificate and host name verification.
            config.sslOptions(SslOptions.defaults());
        }
        settings.username().ifPresent(config::user);
        settings.password().ifPresent(config::password);
        return config.build();
    }

    /** The sentinels: their own credentials, the same timeouts and TLS, and the protocol the server speaks first. */
    private static JedisClientConfig sentinelConfig(RedisSettings settings) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .serverDefaultProtocol()
                .connectionTimeoutMillis(Math.toIntExact(settings.connectTimeout().toMillis()))
                .socketTimeoutMillis(Math.toIntExact(settings.socketTimeout().toMillis()))
                .clientName("authsession");
        if (settings.tls()) {
            config.sslOptions(SslOptions.defaults());
        }
        settings.sentinelUsername().ifPresent(config::user);
        settings.sentinelPassword().ifPresent(config::password);
        return config.build();
    }

    private static ConnectionPoolConfig poolConfig(RedisSettings settings) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(settings.poolMaxWait());
        return pool;
    }
}
