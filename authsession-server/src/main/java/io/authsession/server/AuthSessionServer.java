package io.authsession.server;

import io.authsession.core.AuthSession;
import io.authsession.core.CodeHashKey;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running service in the order of CONTRACT §8: the {@link Assembly} is built, its startup checks run, the two
 * listeners open; on stop the listeners drain and close, then the assembly's closers run, then telemetry. Each step
 * within its budget.
 */
final class AuthSessionServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AuthSessionServer.class.getName());

    private final ServerConfig config;
    private final ServerTelemetry telemetry;
    private final List<HttpListener> listeners = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private Assembly assembly;
    private HttpListener publicListener;
    private HttpListener internalListener;

    private AuthSessionServer(ServerConfig config, ServerTelemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
    }

    /**
     * Starts everything on the system clock; on failure closes what was opened and leaves no listener open.
     *
     * @param env the process environment, for the {@code OTEL_*} variables
     */
    static AuthSessionServer start(ServerConfig config, Map<String, String> env) throws StartupException {
        return start(config, env, Clock.systemUTC());
    }

    /** Starts everything with the given clock (tests move a {@code MutableClock}). */
    static AuthSessionServer start(ServerConfig config, Map<String, String> env, Clock clock) throws StartupException {
        ServerTelemetry telemetry;
        try {
            // Port 0 picks a free port, which can never be the Prometheus one.
            java.util.Set<Integer> listenerPorts = new java.util.HashSet<>(java.util.List.of(
                    config.publicAddress().port(), config.internalAddress().port()));
            listenerPorts.remove(0);
            telemetry = ServerTelemetry.fromEnvironment(env, listenerPorts);
        } catch (RuntimeException e) {
            // For example an OTEL_* value the SDK does not know: one line naming the component, exit 1.
            throw new StartupException("telemetry", e);
        }
        AuthSessionServer server = new AuthSessionServer(config, telemetry);
        try {
            server.startComponents(clock);
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

    private void startComponents(Clock clock) throws StartupException {
        config.unknownVariables().forEach(name -> LOG.log(Level.WARNING,
                () -> "event=unknown_variable variable=" + name + " warning=\"not an authsession setting; ignored\""));
        if (telemetry.enabled()) {
            LOG.log(Level.INFO, () -> "event=telemetry_enabled source=OTEL_variables " + telemetry.description());
        }
        assembly = Assembly.build(config, clock, config.dev() ? Assembly.Storage.EMBEDDED : Assembly.Storage.CONFIGURED,
                telemetry.openTelemetry());
        for (Assembly.Step check : assembly.startupChecks()) {
            startupCheck(check);
        }
        for (Assembly.Step preparation : assembly.preparations()) {
            TimeBudget.run(preparation.component(), config.startupCheckTimeout(), preparation.run());
        }
        for (Assembly.Step reachability : assembly.reachabilityChecks()) {
            reachability(reachability);
        }

        AuthSession auth = assembly.auth();
        CodeHashKey codeHashKey = assembly.codeHashKey();
        HttpLimits limits = httpLimits();
        publicListener = listen("public", config.publicAddress(), limits, new ApiHandler("public",
                PublicApi.router(auth), Optional.empty(), codeHashKey::fingerprintOf, limits.readTimeout(),
                telemetry.openTelemetry()));
        internalListener = listen("internal", config.internalAddress(), limits, new ApiHandler("internal",
                InternalApi.router(auth), config.internalApiToken(), codeHashKey::fingerprintOf, limits.readTimeout(),
                telemetry.openTelemetry()));
        LOG.log(Level.INFO, () -> ConfigLine.of(config, assembly.redisSettings(), codeHashKey, telemetry.description()));
        if (config.internalApiToken().isEmpty()) {
            LOG.log(Level.WARNING, () -> "event=internal_api_open warning=\"" + ServerConfig.INTERNAL_API_TOKEN
                    + " is not set: the internal listener answers without authentication; keep it on a trusted network\"");
        }
    }

    private void startupCheck(Assembly.Step check) throws StartupException {
        long started = System.nanoTime();
        try {
            TimeBudget.check(check.component(), config.startupCheckTimeout(), check.run());
        } catch (Exception e) {
            LOG.log(Level.ERROR, () -> "event=startup_check_failed component=" + check.component() + " error=\""
                    + LogFormat.oneLine(e) + "\"");
            throw new StartupException(check.component(), e);
        }
        LOG.log(Level.INFO, () -> "event=startup_check component=" + check.component() + " result=ok duration_ms="
                + (System.nanoTime() - started) / 1_000_000);
    }

    /** An unreachable outbound service is only worth a warning: requests needing it answer 503. */
    private void reachability(Assembly.Step check) {
        try {
            TimeBudget.check(check.component(), config.startupCheckTimeout(), check.run());
        } catch (Exception e) {
            LOG.log(Level.WARNING, () -> "event=dependency_unreachable_at_startup component=" + check.component()
                    + " error=\"" + LogFormat.oneLine(e) + "\" warning=\"requests needing it will answer 503\"");
        }
    }

    /** The connection cap of each listener, lowered when the process may not open that many descriptors. */
    private HttpLimits httpLimits() {
        HttpLimits wanted = HttpLimits.DEFAULTS.withMaxConnections(config.httpMaxConnections())
                .withDrainGraceFor(config.shutdownTimeout());
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
        if (assembly != null) {
            for (Assembly.Step closer : assembly.closers()) {
                if (TimeBudget.run(closer.component(), budget, closer.run())) {
                    LOG.log(Level.INFO, () -> "event=component_closed component=" + closer.component());
                }
            }
            assembly = null;
        }
        TimeBudget.run("telemetry", budget, () -> telemetry.close(budget));
    }
}
