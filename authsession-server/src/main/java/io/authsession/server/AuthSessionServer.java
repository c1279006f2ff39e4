package io.authsession.server;

import io.authsession.core.AuthSession;
import io.authsession.core.CodeHashKey;
import io.authsession.core.port.MailSender;
import io.authsession.core.port.UserDirectory;
import io.authsession.redis.RedisAdapters;
import io.authsession.redis.RedisSettings;
import io.authsession.rest.RestClients;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running service: adapters, the use cases and the two listeners, started in the order of CONTRACT §8 and
 * stopped in the reverse order, each step within its budget.
 */
final class AuthSessionServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AuthSessionServer.class.getName());

    private final ServerConfig config;
    private final ServerTelemetry telemetry;
    /** Opened resources, closed in reverse order (the Redis client before the embedded Redis it talks to). */
    private final Deque<Closer> resources = new ArrayDeque<>();
    private final List<HttpListener> listeners = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private HttpListener publicListener;
    private HttpListener internalListener;
    private RestClients rest;

    private record Closer(String component, Runnable close) {}

    private AuthSessionServer(ServerConfig config, ServerTelemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
    }

    /**
     * Starts everything; on failure closes what was opened and leaves no listener open.
     *
     * @param env the process environment, for the {@code OTEL_*} variables
     */
    static AuthSessionServer start(ServerConfig config, Map<String, String> env) throws StartupException {
        ServerTelemetry telemetry;
        try {
            telemetry = ServerTelemetry.fromEnvironment(env);
        } catch (RuntimeException e) {
            // For example an OTEL_* value the SDK does not know: one line naming the component, exit 1.
            throw new StartupException("telemetry", e);
        }
        AuthSessionServer server = new AuthSessionServer(config, telemetry);
        try {
            server.startComponents();
            return server;
        } catch (StartupException e) {
            server.closeResources();
            throw e;
        } catch (RuntimeException e) {
            server.closeResources();
            throw new StartupException("startup", e);
        }
    }

    InetSocketAddress publicAddress() {
        return publicListener.address();
    }

    InetSocketAddress internalAddress() {
        return internalListener.address();
    }

    private void startComponents() throws StartupException {
        config.unknownVariables().forEach(name -> LOG.log(Level.WARNING,
                () -> "event=unknown_variable variable=" + name + " warning=\"not an authsession setting; ignored\""));
        if (telemetry.enabled()) {
            LOG.log(Level.INFO, "event=telemetry_enabled source=OTEL_variables");
        }
        SecureRandom random = new SecureRandom();
        CodeHashKey codeHashKey = config.codeHashKey().orElseGet(() -> {
            CodeHashKey generated = CodeHashKey.random(random);
            LOG.log(Level.WARNING, () -> "event=code_hash_key_generated fingerprint=" + generated.fingerprint()
                    + " warning=\"" + ServerConfig.CODE_HASH_KEY + " is not set: a random key was made for this"
                    + " process; every replica of a real deployment must share one key\"");
            return generated;
        });
        LOG.log(Level.INFO, () -> "event=code_hash_key role=current fingerprint=" + codeHashKey.fingerprint());
        config.previousCodeHashKey().ifPresent(previous -> LOG.log(Level.INFO,
                () -> "event=code_hash_key role=previous fingerprint=" + previous.fingerprint()));

        RedisAdapters redis = RedisAdapters.create(redisSettings(), Clock.systemUTC(), config.runtimeDefaults());
        resources.push(new Closer("redis", redis::close));
        UserDirectory users = userDirectory();
        MailSender mail = mailSender();

        Map<String, Runnable> checks = new LinkedHashMap<>();
        checks.put("challenge_store", () -> redis.challengeStore().ping());
        checks.put("session_store", () -> redis.sessionStore().ping());
        checks.put("config_provider", () -> redis.configProvider().ping());
        checks.put("projection_publisher", () -> redis.projectionPublisher().ping());
        checks.put("resend_throttle", () -> redis.resendThrottle().ping());
        for (Map.Entry<String, Runnable> check : checks.entrySet()) {
            startupCheck(check.getKey(), check.getValue());
        }
        TimeBudget.run("redis_scripts", config.startupCheckTimeout(), redis::loadScripts);
        TimeBudget.run("redis_eviction_policy", config.startupCheckTimeout(), () -> redis.evictingMaxmemoryPolicy()
                .ifPresent(policy -> LOG.log(Level.WARNING, () -> "event=redis_evicting_policy maxmemory_policy="
                        + policy + " warning=\"Redis may evict active sessions (keys without TTL): users are then"
                        + " silently logged out; use noeviction or a volatile-* policy\"")));
        reachability("user_service", users::ping);
        reachability("mail_service", mail::ping);

        AuthSession.Builder builder = redis.configure(AuthSession.builder())
                .userDirectory(users)
                .mailSender(mail)
                .codeHashKey(codeHashKey)
                .challengeExpiredRetention(config.challengeExpiredRetention())
                .confirmIdempotencyWindow(config.confirmIdempotencyWindow())
                .revokedSessionRetention(config.revokedSessionRetention())
                .openTelemetry(telemetry.openTelemetry())
                .secureRandom(random);
        config.previousCodeHashKey().ifPresent(builder::previousCodeHashKey);
        AuthSession auth = builder.build();

        HttpLimits limits = httpLimits();
        publicListener = listen("public", config.publicAddress(), limits, new ApiHandler("public",
                PublicApi.router(auth), Optional.empty(), codeHashKey::fingerprintOf, limits.readTimeout()));
        internalListener = listen("internal", config.internalAddress(), limits, new ApiHandler("internal",
                InternalApi.router(auth), config.internalApiToken(), codeHashKey::fingerprintOf, limits.readTimeout()));
        if (config.internalApiToken().isEmpty()) {
            LOG.log(Level.WARNING, () -> "event=internal_api_open warning=\"" + ServerConfig.INTERNAL_API_TOKEN
                    + " is not set: the internal listener answers without authentication; keep it on a trusted network\"");
        }
    }

    private RedisSettings redisSettings() {
        if (!config.dev()) {
            return config.redis();
        }
        DevRedis dev = DevRedis.start();
        resources.push(new Closer("dev_redis", dev::close));
        LOG.log(Level.INFO, () -> "event=dev_redis_started address=127.0.0.1:" + dev.port());
        return RedisSettings.builder()
                .host("127.0.0.1")
                .port(dev.port())
                .keyPrefix(config.redis().keyPrefix())
                .gatewaySessionKeyPrefix(config.redis().gatewaySessionKeyPrefix())
                .gatewayEventsStream(config.redis().gatewayEventsStream())
                .gatewayEventsMaxLength(config.redis().gatewayEventsMaxLength())
                .build();
    }

    private UserDirectory userDirectory() {
        if (config.userService().isEmpty()) {
            stubWarning("user_service");
            return new StubUserDirectory();
        }
        return restClients().userDirectory().orElseThrow();
    }

    private MailSender mailSender() {
        if (config.mailService().isEmpty()) {
            stubWarning("mail_service");
            return new StubMailSender();
        }
        return restClients().mailSender().orElseThrow();
    }

    private RestClients restClients() {
        if (rest == null) {
            RestClients.Builder builder = RestClients.builder();
            config.userService().ifPresent(service -> builder.userServiceBaseUrl(service.baseUrl())
                    .userServiceRequestTimeout(service.requestTimeout()));
            config.mailService().ifPresent(service -> builder.mailServiceBaseUrl(service.baseUrl())
                    .mailServiceRequestTimeout(service.requestTimeout()));
            rest = builder.build();
            resources.push(new Closer("http_clients", rest::close));
        }
        return rest;
    }

    private static void stubWarning(String component) {
        LOG.log(Level.WARNING, () -> "event=stub_mode component=" + component + " warning=\"the stub " + component
                .replace('_', ' ') + " is for development and isolated tests only\"");
    }

    private void startupCheck(String component, Runnable ping) throws StartupException {
        long started = System.nanoTime();
        try {
            TimeBudget.check(component, config.startupCheckTimeout(), ping);
        } catch (Exception e) {
            LOG.log(Level.ERROR, () -> "event=startup_check_failed component=" + component + " error=\""
                    + LogFormat.oneLine(e) + "\"");
            throw new StartupException(component, e);
        }
        LOG.log(Level.INFO, () -> "event=startup_check component=" + component + " result=ok duration_ms="
                + (System.nanoTime() - started) / 1_000_000);
    }

    /** The outbound services are not startup checks (CONTRACT §8); an unreachable one is only worth a warning. */
    private void reachability(String component, Runnable ping) {
        try {
            TimeBudget.check(component, config.startupCheckTimeout(), ping);
        } catch (Exception e) {
            LOG.log(Level.WARNING, () -> "event=dependency_unreachable_at_startup component=" + component
                    + " error=\"" + LogFormat.oneLine(e) + "\" warning=\"requests needing it will answer 503\"");
        }
    }

    /** The connection cap of each listener, lowered when the process may not open that many descriptors. */
    private HttpLimits httpLimits() {
        HttpLimits wanted = HttpLimits.DEFAULTS.withMaxConnections(config.httpMaxConnections());
        java.util.OptionalLong descriptors = HttpLimits.processFileDescriptorLimit();
        HttpLimits limits = wanted.fitTo(descriptors, 2);
        if (limits.maxConnections() < wanted.maxConnections()) {
            LOG.log(Level.WARNING, () -> "event=http_max_connections_lowered variable=" + ServerConfig.HTTP_MAX_CONNECTIONS
                    + " wanted=" + wanted.maxConnections() + " using=" + limits.maxConnections() + " max_open_files="
                    + descriptors.getAsLong() + " warning=\"two listeners at the cap must leave "
                    + HttpLimits.RESERVED_FILE_DESCRIPTORS + " file descriptors free; raise ulimit -n\"");
        }
        return limits;
    }

    private HttpListener listen(String name, ListenAddress address, HttpLimits limits, ApiHandler handler)
            throws StartupException {
        try {
            HttpListener listener = HttpListener.start(name, address, limits, handler);
            listeners.add(listener);
            return listener;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, () -> "event=listener_failed listener=" + name + " address=" + address.host() + ":"
                    + address.port() + " error=\"" + LogFormat.oneLine(e) + "\"");
            throw new StartupException(name + "_listener", e);
        }
    }

    /**
     * Stops in the order of CONTRACT §8: both listeners (in parallel, each letting its requests finish within the
     * shutdown timeout), then Redis and HTTP clients, then telemetry. Safe to call more than once.
     */
    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.INFO, "event=shutdown_started");
        closeResources();
        LOG.log(Level.INFO, "event=shutdown_complete");
    }

    private void closeResources() {
        Duration budget = config.shutdownTimeout();
        // Both listeners drain at once; each stop bounds itself (drain budget plus a few seconds to close).
        List<Thread> stops = new ArrayList<>();
        for (HttpListener listener : listeners) {
            Thread stop = new Thread(() -> listener.stop(budget), "stop-listener");
            stop.start();
            stops.add(stop);
        }
        for (Thread stop : stops) {
            try {
                stop.join(budget.plusSeconds(7).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listeners.clear();
        while (!resources.isEmpty()) {
            Closer closer = resources.pop();
            if (TimeBudget.run(closer.component(), budget, closer.close())) {
                LOG.log(Level.INFO, () -> "event=component_closed component=" + closer.component());
            }
        }
        TimeBudget.run("telemetry", budget, () -> telemetry.close(budget));
    }
}
