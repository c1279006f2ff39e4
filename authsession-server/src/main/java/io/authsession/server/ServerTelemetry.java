package io.authsession.server;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK wired from the standard {@code OTEL_*} variables. With none set, telemetry is a no-op:
 * no exporter runs, so nothing fails for want of a collector.
 */
final class ServerTelemetry implements AutoCloseable {
    private final Optional<OpenTelemetrySdk> sdk;

    private ServerTelemetry(Optional<OpenTelemetrySdk> sdk) {
        this.sdk = sdk;
    }

    static ServerTelemetry fromEnvironment(Map<String, String> env) {
        boolean configured = env.keySet().stream().anyMatch(name -> name.startsWith("OTEL_"));
        if (!configured) {
            return new ServerTelemetry(Optional.empty());
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of("otel.service.name", "authsession"))
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
