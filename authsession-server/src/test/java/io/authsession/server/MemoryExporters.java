package io.authsession.server;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory exporters the SDK finds by name, as it finds {@code otlp} or {@code console}: a test starts a server with
 * {@link #environment()} ({@code OTEL_TRACES_EXPORTER=memory}, {@code OTEL_METRICS_EXPORTER=memory} and an id of its
 * own) and reads what the server exported once it stopped (stopping flushes everything). Unlike the SDK's testing
 * exporters, these keep what they got after the SDK shuts them down.
 */
final class MemoryExporters {
    private static final Map<String, List<SpanData>> SPANS = new ConcurrentHashMap<>();
    private static final Map<String, List<MetricData>> METRICS = new ConcurrentHashMap<>();

    final String id = UUID.randomUUID().toString();

    /** The OTEL_* variables that send this instance's server's telemetry here. */
    Map<String, String> environment() {
        return Map.of("OTEL_TRACES_EXPORTER", "memory", "OTEL_METRICS_EXPORTER", "memory", "OTEL_LOGS_EXPORTER", "none",
                "OTEL_TEST_EXPORTERS", id, "OTEL_METRIC_EXPORT_INTERVAL", "600000");
    }

    List<SpanData> spans() {
        return List.copyOf(SPANS.getOrDefault(id, List.of()));
    }

    /** Every metric export; cumulative, so the last export of a metric holds its totals. */
    List<MetricData> metrics() {
        return List.copyOf(METRICS.getOrDefault(id, List.of()));
    }

    private static String id(ConfigProperties config) {
        return config.getString("otel.test.exporters", "default");
    }

    /** The span exporter named {@code memory}. */
    public static final class Spans implements ConfigurableSpanExporterProvider {
        @Override
        public SpanExporter createExporter(ConfigProperties config) {
            List<SpanData> into = SPANS.computeIfAbsent(id(config), ignored -> new CopyOnWriteArrayList<>());
            return new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    into.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            };
        }

        @Override
        public String getName() {
            return "memory";
        }
    }

    /** The metric exporter named {@code memory}. */
    public static final class Metrics implements ConfigurableMetricExporterProvider {
        @Override
        public MetricExporter createExporter(ConfigProperties config) {
            List<MetricData> into = METRICS.computeIfAbsent(id(config), ignored -> new CopyOnWriteArrayList<>());
            return new MetricExporter() {
                @Override
                public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
                    return AggregationTemporality.CUMULATIVE;
                }

                @Override
                public MemoryMode getMemoryMode() {
                    return MemoryMode.IMMUTABLE_DATA;
                }

                @Override
                public CompletableResultCode export(Collection<MetricData> metrics) {
                    into.addAll(metrics);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            };
        }

        @Override
        public String getName() {
            return "memory";
        }
    }
}
