package io.authsession.redis;

import io.authsession.core.AuthSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.ChallengeStore;
import io.authsession.core.port.ConfigProvider;
import io.authsession.core.port.ProjectionPublisher;
import io.authsession.core.port.ResendThrottle;
import io.authsession.core.port.SessionStore;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;

/**
 * The Redis side of authsession: every store port over one connection pool.
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
 * <p>Creating it opens no connection; the first command (or a {@code ping()}) does.
 */
public final class RedisAdapters implements AutoCloseable {
    private final RedisClient client;
    private final RedisCommands commands;
    private final ChallengeStore challengeStore;
    private final SessionStore sessionStore;
    private final ResendThrottle resendThrottle;
    private final ConfigProvider configProvider;
    private final ProjectionPublisher projectionPublisher;

    private RedisAdapters(RedisSettings settings, Clock clock, RuntimeSettings runtimeDefaults) {
        this.client = RedisClient.builder()
                .hostAndPort(settings.host(), settings.port())
                .clientConfig(clientConfig(settings))
                .poolConfig(poolConfig(settings))
                .build();
        this.commands = new RedisCommands(client);
        RedisKeys keys = new RedisKeys(settings);
        this.challengeStore = new RedisChallengeStore(commands, keys, clock);
        this.sessionStore = new RedisSessionStore(commands, keys, clock);
        this.resendThrottle = new RedisResendThrottle(commands, keys, clock);
        this.configProvider = new RedisConfigProvider(commands, keys, clock, runtimeDefaults);
        this.projectionPublisher = new RedisProjectionPublisher(commands, keys, clock, settings.gatewayEventsMaxLength());
    }

    /**
     * Adapters on a new connection pool.
     *
     * @param clock the clock expiry is decided against (TTLs in Redis only clean up)
     * @param runtimeDefaults the environment defaults of the runtime settings hash
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

    /**
     * Loads every Lua script into the server's cache, so that no request pays for a first
     * {@code EVAL}. Optional: a script the server does not know is sent on first use anyway.
     */
    public void loadScripts() {
        commands.loadScripts(LuaScript.ALL);
    }

    /**
     * The server's {@code maxmemory-policy} when it may evict keys without a TTL ({@code allkeys-*}): active sessions
     * have none, so such a policy can silently log users out. Empty when the policy is safe or cannot be read.
     */
    public Optional<String> evictingMaxmemoryPolicy() {
        String memory = commands.run("read memory info", c -> c.info("memory"));
        return memory.lines()
                .filter(line -> line.startsWith("maxmemory_policy:"))
                .map(line -> line.substring("maxmemory_policy:".length()).strip())
                .filter(policy -> policy.startsWith("allkeys-"))
                .findFirst();
    }

    /** The command runner every adapter shares, for tests that count round trips. */
    RedisCommands commands() {
        return commands;
    }

    /** Closes the connection pool. */
    @Override
    public void close() {
        client.close();
    }

    private static DefaultJedisClientConfig clientConfig(RedisSettings settings) {
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

    private static ConnectionPoolConfig poolConfig(RedisSettings settings) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(settings.poolMaxWait());
        return pool;
    }
}
