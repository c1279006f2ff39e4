package io.authsession.server;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK wired from the standard {@code OTEL_*} variables. With none set, or with
 * {@code OTEL_SDK_DISABLED=true}, telemetry is a no-op: no exporter runs, so nothing fails for want of a collector.
 * The variables are taken from the environment map the server was given (the process environment in production), so
 * that tests can wire the SDK without one. The service name defaults to {@code authsession} unless
 * {@code OTEL_SERVICE_NAME} or {@code OTEL_RESOURCE_ATTRIBUTES} names it.
 *
 * <p>The exporters in the jar: {@code otlp} (the SDK's default), {@code console} (or its older name {@code logging}:
 * log lines on standard output) and, for metrics, {@code prometheus} (a scrape endpoint on
 * {@code OTEL_EXPORTER_PROMETHEUS_PORT}, default 9464, which may not be a listener's port).
 */
final class ServerTelemetry implements AutoCloseable {
    static final int DEFAULT_PROMETHEUS_PORT = 9464;

    private final Optional<OpenTelemetrySdk> sdk;
    private final String description;

    private ServerTelemetry(Optional<OpenTelemetrySdk> sdk, String description) {
        this.sdk = sdk;
        this.description = description;
    }

    static ServerTelemetry fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, Set.of());
    }

    /**
     * Wires the SDK, refusing a Prometheus endpoint on one of {@code listenerPorts}.
     *
     * @throws IllegalArgumentException for a value the SDK refuses, or a Prometheus port that is a listener's
     */
    static ServerTelemetry fromEnvironment(Map<String, String> env, Set<Integer> listenerPorts) {
        Map<String, String> properties = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                // The spelling autoconfigure itself gives environment variables: OTEL_FOO_BAR is otel.foo.bar.
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        if (properties.isEmpty() || "true".equalsIgnoreCase(properties.getOrDefault("otel.sdk.disabled", "").strip())) {
            return new ServerTelemetry(Optional.empty(), "off");
        }
        String traces = properties.getOrDefault("otel.traces.exporter", "otlp");
        String metrics = properties.getOrDefault("otel.metrics.exporter", "otlp");
        String logs = properties.getOrDefault("otel.logs.exporter", "otlp");
        StringBuilder description = new StringBuilder("traces_exporter=").append(traces.replace(' ', '_'))
                .append(" metrics_exporter=").append(metrics.replace(' ', '_'))
                .append(" logs_exporter=").append(logs.replace(' ', '_'));
        if (List.of(metrics.split(",")).stream().map(String::strip).anyMatch("prometheus"::equals)) {
            int port = prometheusPort(properties);
            if (listenerPorts.contains(port)) {
                throw new IllegalArgumentException("OTEL_EXPORTER_PROMETHEUS_PORT: " + port + " is a listener's port;"
                        + " the Prometheus endpoint needs a port of its own");
            }
            description.append(" prometheus_endpoint=")
                    .append(properties.getOrDefault("otel.exporter.prometheus.host", "0.0.0.0")).append(':')
                    .append(port).append("/metrics");
        }
        boolean named = properties.containsKey("otel.service.name")
                || properties.getOrDefault("otel.resource.attributes", "").contains("service.name=");
        if (!named) {
            properties.put("otel.service.name", "authsession");
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                // The server flushes telemetry last in its own shutdown sequence; a second hook would race it.
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new ServerTelemetry(Optional.of(sdk), description.toString());
    }

    private static int prometheusPort(Map<String, String> properties) {
        String raw = properties.getOrDefault("otel.exporter.prometheus.port", Integer.toString(DEFAULT_PROMETHEUS_PORT));
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OTEL_EXPORTER_PROMETHEUS_PORT: '" + raw + "' is not a port number", e);
        }
    }

    /** What was wired, for the startup line: the exporter of each signal, the scrape endpoint; {@code off} when none. */
    String description() {
        return description;
    }

    OpenTelemetry openTelemetry() {
        return sdk.<OpenTelemetry>map(s -> s).orElse(OpenTelemetry.noop());
    }

    boolean enabled() {
        return sdk.isPresent();
    }

    /** Flushes and shuts the SDK down, waiting at most {@code budget}. */
    void close(Duration budget) {
        sdk.ifPresent(s -> s.shutdown().join(budget.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
