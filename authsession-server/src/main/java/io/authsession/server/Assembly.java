package io.authsession.server;

import io.authsession.core.AuthSession;
import io.authsession.core.CodeHashKey;
import io.authsession.core.port.MailSender;
import io.authsession.core.port.UserDirectory;
import io.authsession.redis.RedisAdapters;
import io.authsession.redis.RedisSettings;
import io.authsession.rest.RestClients;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition root: validated settings, a clock and the storage choice in; the adapters, the {@link AuthSession}
 * facade, the named startup checks and the ordered closers out. Starts no thread and no listener, so that the server,
 * the operator command line and the tests build the same thing (the tests with a {@code MutableClock}).
 */
final class Assembly {
    private static final System.Logger LOG = System.getLogger(Assembly.class.getName());

    /** A named step of startup; its component name is what the logs and a failure name. */
    record Step(String component, Runnable run) {}

    /** Where Redis comes from. */
    enum Storage {
        /** The Redis of the configuration. */
        CONFIGURED,
        /** An embedded {@code redis-server} started for this process ({@code --dev}). */
        EMBEDDED
    }

    private final Deque<Step> closers = new ArrayDeque<>();
    private final List<Step> startupChecks = new ArrayList<>();
    private final List<Step> preparations = new ArrayList<>();
    private final List<Step> reachabilityChecks = new ArrayList<>();
    private final CodeHashKey codeHashKey;
    private RedisAdapters redis;
    private RedisSettings redisSettings;
    private RestClients rest;
    private AuthSession auth;

    private Assembly(CodeHashKey codeHashKey) {
        this.codeHashKey = codeHashKey;
    }

    /**
     * Builds everything; on failure closes what was opened and throws.
     *
     * @param telemetry where the use cases send spans and metrics
     */
    static Assembly build(ServerConfig config, Clock clock, Storage storage, OpenTelemetry telemetry) {
        SecureRandom random = new SecureRandom();
        Assembly assembly = new Assembly(codeHashKey(config, random));
        try {
            assembly.wire(config, clock, storage, telemetry, random);
            return assembly;
        } catch (RuntimeException e) {
            assembly.closeQuietly();
            throw e;
        }
    }

    private void wire(ServerConfig config, Clock clock, Storage storage, OpenTelemetry telemetry, SecureRandom random) {
        RedisSettings settings = storage == Storage.EMBEDDED ? startDevRedis(config.redis()) : config.redis();
        RedisAdapters adapters = RedisAdapters.create(settings, clock, config.runtimeDefaults(), telemetry);
        redis = adapters;
        redisSettings = settings;
        closers.push(new Step("redis", adapters::close));
        UserDirectory users = userDirectory(config, telemetry);
        MailSender mail = mailSender(config, telemetry);

        startupChecks.add(new Step("challenge_store", () -> adapters.challengeStore().ping()));
        startupChecks.add(new Step("session_store", () -> adapters.sessionStore().ping()));
        startupChecks.add(new Step("config_provider", () -> adapters.configProvider().ping()));
        startupChecks.add(new Step("projection_publisher", () -> adapters.projectionPublisher().ping()));
        startupChecks.add(new Step("resend_throttle", () -> adapters.resendThrottle().ping()));
        preparations.add(new Step("redis_scripts", adapters::loadScripts));
        // Every primary of a cluster has its own configuration: one line per primary that may evict.
        preparations.add(new Step("redis_eviction_policy", () -> adapters.evictingMaxmemoryPolicies()
                .forEach((node, policy) -> LOG.log(Level.WARNING, () -> "event=redis_evicting_policy node=" + node
                        + " maxmemory_policy=" + policy + " warning=\"Redis may evict sessions and failed-guess windows"
                        + " under memory pressure: users are then silently logged out; use noeviction\""))));
        reachabilityChecks.add(new Step("user_service", users::ping));
        reachabilityChecks.add(new Step("mail_service", mail::ping));

        AuthSession.Builder builder = adapters.configure(AuthSession.builder())
                .clock(clock)
                .userDirectory(users)
                .mailSender(mail)
                .codeHashKey(codeHashKey)
                .challengeExpiredRetention(config.challengeExpiredRetention())
                .confirmIdempotencyWindow(config.confirmIdempotencyWindow())
                .revokedSessionRetention(config.revokedSessionRetention())
                .openTelemetry(telemetry)
                .secureRandom(random);
        config.previousCodeHashKey().ifPresent(builder::previousCodeHashKey);
        if (!config.sendAnswerTime().isZero()) {
            sendTiming(builder, config);
        }
        auth = builder.build();
    }

    /**
     * Every send answers at the same time whatever happened (CONTRACT §2.1): deliveries run on their own bounded pool,
     * answers are scheduled on one timer thread. Both are closed first at shutdown, letting deliveries in flight end.
     */
    private void sendTiming(AuthSession.Builder builder, ServerConfig config) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("send-answer"));
        scheduler.setRemoveOnCancelPolicy(true);
        ThreadPoolExecutor delivery = new ThreadPoolExecutor(config.sendDeliveryThreads(),
                config.sendDeliveryThreads(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("send-delivery"));
        delivery.allowCoreThreadTimeOut(true);
        // Deliveries carry the span of the send that queued them: their Redis and REST calls are its children.
        builder.sendAnswerTime(config.sendAnswerTime(), scheduler, Context.taskWrapping(delivery));
        closers.push(new Step("send_delivery", () -> {
            delivery.shutdown();
            scheduler.shutdown();
            try {
                // TimeBudget bounds the whole step; this only lets the deliveries in flight finish.
                delivery.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The configured key, or a random one with a warning (fine for one development process only). */
    private static CodeHashKey codeHashKey(ServerConfig config, SecureRandom random) {
        CodeHashKey key = config.codeHashKey().orElseGet(() -> {
            CodeHashKey generated = CodeHashKey.random(random);
            LOG.log(Level.WARNING, () -> "event=code_hash_key_generated fingerprint=" + generated.fingerprint()
                    + " warning=\"" + ServerConfig.CODE_HASH_KEY + " is not set: a random key was made for this"
                    + " process; every replica of a real deployment must share one key\"");
            return generated;
        });
        LOG.log(Level.INFO, () -> "event=code_hash_key role=current fingerprint=" + key.fingerprint());
        config.previousCodeHashKey().ifPresent(previous -> LOG.log(Level.INFO,
                () -> "event=code_hash_key role=previous fingerprint=" + previous.fingerprint()));
        return key;
    }

    private RedisSettings startDevRedis(RedisSettings configured) {
        DevRedis dev = DevRedis.start();
        closers.push(new Step("dev_redis", dev::close));
        LOG.log(Level.INFO, () -> "event=dev_redis_started address=" + dev.host() + ":" + dev.port() + " pid="
                + dev.pid());
        // Only the names carry over: credentials, TLS and database are the configured Redis's, not the dev one's.
        return RedisSettings.builder()
                .host(dev.host())
                .port(dev.port())
                .keyPrefix(configured.keyPrefix())
                .gatewaySessionKeyPrefix(configured.gatewaySessionKeyPrefix())
                .gatewayEventsStream(configured.gatewayEventsStream())
                .gatewayEventsMaxLength(configured.gatewayEventsMaxLength())
                .build();
    }

    private UserDirectory userDirectory(ServerConfig config, OpenTelemetry telemetry) {
        if (config.userService().isEmpty()) {
            stubWarning("user_service");
            return new StubUserDirectory();
        }
        return restClients(config, telemetry).userDirectory().orElseThrow();
    }

    private MailSender mailSender(ServerConfig config, OpenTelemetry telemetry) {
        if (config.mailService().isEmpty()) {
            stubWarning("mail_service");
            return new StubMailSender();
        }
        return restClients(config, telemetry).mailSender().orElseThrow();
    }

    private RestClients restClients(ServerConfig config, OpenTelemetry telemetry) {
        if (rest == null) {
            RestClients.Builder builder = RestClients.builder().openTelemetry(telemetry);
            config.userService().ifPresent(service -> builder.userServiceBaseUrl(service.baseUrl())
                    .userServiceRequestTimeout(service.requestTimeout()));
            config.mailService().ifPresent(service -> builder.mailServiceBaseUrl(service.baseUrl())
                    .mailServiceRequestTimeout(service.requestTimeout()));
            RestClients clients = builder.build();
            rest = clients;
            closers.push(new Step("http_clients", clients::close));
        }
        return rest;
    }

    private static void stubWarning(String component) {
        LOG.log(Level.WARNING, () -> "event=stub_mode component=" + component + " warning=\"the stub " + component
                .replace('_', ' ') + " is for development and isolated tests only\"");
    }

    AuthSession auth() {
        return auth;
    }

    RedisAdapters redis() {
        return redis;
    }

    /** The Redis settings in use: the configured ones, or the embedded Redis's in {@code --dev}. */
    RedisSettings redisSettings() {
        return redisSettings;
    }

    CodeHashKey codeHashKey() {
        return codeHashKey;
    }

    /** Pings that must succeed before any listener opens (CONTRACT §8), in order. */
    List<Step> startupChecks() {
        return List.copyOf(startupChecks);
    }

    /** Steps worth doing at startup whose failure is only a warning (script loading, the eviction policy check). */
    List<Step> preparations() {
        return List.copyOf(preparations);
    }

    /** The outbound services: not startup checks (CONTRACT §8), an unreachable one is a warning. */
    List<Step> reachabilityChecks() {
        return List.copyOf(reachabilityChecks);
    }

    /**
     * What to close, in order: the send delivery pool (deliveries in flight finish), HTTP clients, the Redis client,
     * then the embedded Redis it talks to.
     */
    List<Step> closers() {
        return List.copyOf(closers);
    }

    private void closeQuietly() {
        for (Step closer : closers) {
            try {
                closer.run().run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> "event=close_failed component=" + closer.component() + " error=\""
                        + LogFormat.oneLine(e) + "\"");
            }
        }
        closers.clear();
    }
}
