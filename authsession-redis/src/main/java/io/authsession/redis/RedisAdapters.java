package io.authsession.redis;

import io.authsession.core.AuthSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ConfigProvider;
import io.authsession.core.port.ProjectionPublisher;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.SessionStore;
import io.authsession.core.error.DependencyUnavailableException;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Redis side of authsession: every store port over one Redis client (standalone, Sentinel or Cluster, as the
 * {@link RedisSettings} say) and its connection pools.
 *
 * <pre>{@code
 * try (RedisAdapters redis = RedisAdapters.create(RedisSettings.builder().address("redis:6379").build(),
 *         Clock.systemUTC(), RuntimeSettings.DEFAULTS)) {
 *     AuthSession auth = redis.configure(AuthSession.builder())
 *             // user directory, mail sender, code hash key ...
 *             .build();
 * }
 * }</pre>
 *
 * <p>On one Redis, creating it opens no connection; the first command (or a {@code ping()}) does. A Sentinel or
 * Cluster client asks the sentinels for the primary, or the seed nodes for the slots, when it is created.
 *
 * <p>Maintenance that addresses nodes rather than keys (a {@code SCAN} over every key, which Redis Cluster only
 * offers per node) walks {@code RedisCommands.primaries()} with {@code RedisCommands.onPrimary} on {@code commands()}:
 * one entry for a standalone server or a Sentinel group, each primary for a cluster.
 */
public final class RedisAdapters implements AutoCloseable {
    private final RedisTopology topology;
    private final RedisCommands commands;
    private final ChallengeStore challengeStore;
    private final SessionStore sessionStore;
    private final ResendThrottle resendThrottle;
    private final ConfigProvider configProvider;
    private final ProjectionPublisher projectionPublisher;
    private final RedisMaintenance maintenance;

    private RedisAdapters(RedisSettings settings, Clock clock, RuntimeSettings runtimeDefaults) {
        try {
            this.topology = RedisTopology.connect(settings);
        } catch (JedisException e) {
            throw RedisCommands.unavailable("connect to Redis (" + settings.mode().wireName() + " "
                    + settings.startNodes() + ")", e);
        }
        this.commands = new RedisCommands(topology, settings);
        RedisKeys keys = new RedisKeys(settings);
        this.challengeStore = new RedisChallengeStore(commands, keys, clock);
        RedisSessionStore sessions = new RedisSessionStore(commands, keys, clock);
        this.sessionStore = sessions;
        this.resendThrottle = new RedisResendThrottle(commands, keys, clock);
        this.configProvider = new RedisConfigProvider(commands, keys, clock, runtimeDefaults);
        RedisProjectionPublisher publisher = new RedisProjectionPublisher(commands, keys, clock,
                settings.gatewayEventsMaxLength());
        this.projectionPublisher = publisher;
        this.maintenance = new RedisMaintenance(commands, keys, clock, sessions, publisher);
    }

    /**
     * Adapters on a new Redis client.
     *
     * @param clock the clock expiry is decided against (TTLs in Redis only clean up)
     * @param runtimeDefaults the environment defaults of the runtime settings hash
     * @throws DependencyUnavailableException when no sentinel or cluster seed node answers (Sentinel and Cluster)
     */
    public static RedisAdapters create(RedisSettings settings, Clock clock, RuntimeSettings runtimeDefaults) {
        return new RedisAdapters(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(runtimeDefaults, "runtimeDefaults"));
    }

    /**
     * Adapters on a new connection pool whose every round trip is a client span (and a
     * {@code db.client.operation.duration} measurement) in {@code openTelemetry}: a child of the use case's span.
     */
    public static RedisAdapters create(RedisSettings settings, Clock clock, RuntimeSettings runtimeDefaults,
            OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        RedisAdapters adapters = create(settings, clock, runtimeDefaults);
        if (openTelemetry != OpenTelemetry.noop()) {
            adapters.commands.trace(new RedisTracing(openTelemetry, settings));
        }
        return adapters;
    }

    /** Sets the five store ports of the builder to these adapters; the user directory and mail sender remain. */
    public AuthSession.Builder configure(AuthSession.Builder builder) {
        return builder.challengeStore(challengeStore)
                .sessionStore(sessionStore)
                .resendThrottle(resendThrottle)
                .configProvider(configProvider)
                .projectionPublisher(projectionPublisher);
    }

    public ChallengeStore challengeStore() {
        return challengeStore;
    }

    public SessionStore sessionStore() {
        return sessionStore;
    }

    public ResendThrottle resendThrottle() {
        return resendThrottle;
    }

    public ConfigProvider configProvider() {
        return configProvider;
    }

    public ProjectionPublisher projectionPublisher() {
        return projectionPublisher;
    }

    /** The operator's walks over the data: mass logout, audit and repair, runtime settings, audit trail. */
    public RedisMaintenance maintenance() {
        return maintenance;
    }

    /**
     * Loads every Lua script into the script cache of every primary, so that no request pays for a first
     * {@code EVAL}. Optional: a node that does not know a script (a replica promoted by a failover, a restarted node)
     * gets it on first use anyway.
     */
    public void loadScripts() {
        commands.loadScripts(LuaScript.ALL);
    }

    /**
     * The server's {@code maxmemory-policy} when it may evict authsession's keys: any policy but {@code noeviction}
     * under a {@code maxmemory} limit. {@code allkeys-*} evicts sessions without a lifetime; {@code volatile-*} evicts
     * every key with a TTL, which with a session lifetime in force is every session, and always the failed-guess
     * windows (an evicted window resets an address's budget). Empty when no primary may evict. On a cluster: the
     * first such policy of {@link #evictingMaxmemoryPolicies()}.
     */
    public Optional<String> evictingMaxmemoryPolicy() {
        return evictingMaxmemoryPolicies().values().stream().findFirst();
    }

    /**
     * Each primary ({@code host:port}) whose {@code maxmemory-policy} may evict keys (see
     * {@link #evictingMaxmemoryPolicy()}), with the policy; empty when none does. Without a {@code maxmemory} limit
     * Redis never evicts, whatever the policy. Every primary of a cluster is asked, since each applies its own configuration.
     *
     * @throws DependencyUnavailableException when a primary cannot be asked
     */
    public Map<String, String> evictingMaxmemoryPolicies() {
        Map<String, String> evicting = new LinkedHashMap<>();
        commands.onEveryPrimary("read memory info", jedis -> jedis.info("memory")).forEach((node, memory) -> {
            Optional<String> policy = infoField(memory, "maxmemory_policy");
            boolean limited = infoField(memory, "maxmemory").filter(limit -> !limit.equals("0")).isPresent();
            policy.filter(name -> limited && !name.equals("noeviction")).ifPresent(name -> evicting.put(node, name));
        });
        return evicting;
    }

    private static Optional<String> infoField(String info, String field) {
        return info.lines().filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).strip()).findFirst();
    }

    /**
     * The command runner every adapter shares: for tests that count round trips, and for maintenance in this module
     * that walks every primary ({@link RedisCommands#primaries()}, {@link RedisCommands#onPrimary}).
     */
    RedisCommands commands() {
        return commands;
    }

    /** Closes the Redis client and its connection pools (and, for Sentinel, its sentinel listeners). */
    @Override
    public void close() {
        topology.close();
    }
}
