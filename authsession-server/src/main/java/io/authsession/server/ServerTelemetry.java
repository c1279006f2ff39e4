package io.authsession.server;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK wired from the standard {@code OTEL_*} variables. With none set, telemetry is a no-op:
 * no exporter runs, so nothing fails for want of a collector. The variables are taken from the environment map the
 * server was given (the process environment in production), so that tests can wire the SDK without one. The service
 * name defaults to {@code authsession} unless {@code OTEL_SERVICE_NAME} or {@code OTEL_RESOURCE_ATTRIBUTES} names it.
 */
final class ServerTelemetry implements AutoCloseable {
    private final Optional<OpenTelemetrySdk> sdk;

    private ServerTelemetry(Optional<OpenTelemetrySdk> sdk) {
        this.sdk = sdk;
    }

    static ServerTelemetry fromEnvironment(Map<String, String> env) {
        Map<String, String> properties = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                // The spelling autoconfigure itself gives environment variables: OTEL_FOO_BAR is otel.foo.bar.
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        if (properties.isEmpty()) {
            return new ServerTelemetry(Optional.empty());
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
        return new ServerTelemetry(Optional.of(sdk));
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
