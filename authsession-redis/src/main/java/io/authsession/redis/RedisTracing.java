package io.authsession.redis;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.function.Supplier;

/**
 * A client span and a {@code db.client.operation.duration} measurement per round trip to Redis, after the
 * OpenTelemetry semantic conventions for database clients, so that a slow request shows which Redis step took the
 * time. The operation is authsession's name for the step ({@code create challenge}, {@code check code}); no key, no
 * argument and no reply is recorded (keys hold ids, arguments hold hashes and addresses' keyed hashes).
 */
final class RedisTracing {
    static final String INSTRUMENTATION_SCOPE = "io.authsession.redis";
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
    static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** Records nothing and costs nothing: the default, and what an embedding service without telemetry gets. */
    static final RedisTracing NONE = new RedisTracing();

    private static final List<Double> BUCKETS = List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0);

    private final Tracer tracer;
    private final DoubleHistogram duration;
    private final Attributes common;

    private RedisTracing() {
        tracer = null;
        duration = null;
        common = Attributes.empty();
    }

    RedisTracing(OpenTelemetry openTelemetry, RedisSettings settings) {
        tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
        duration = openTelemetry.getMeter(INSTRUMENTATION_SCOPE).histogramBuilder("db.client.operation.duration")
                .setDescription("Duration of Redis round trips, by operation")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(BUCKETS)
                .build();
        common = Attributes.builder()
                .put(SYSTEM, "redis")
                .put(NAMESPACE, Integer.toString(settings.database()))
                .put(SERVER_ADDRESS, settings.host())
                .put(SERVER_PORT, (long) settings.port())
                .build();
    }

    /** Runs one round trip of {@code commands} commands (more than one when pipelined) in its span. */
    <T> T trace(String operation, int commands, Supplier<T> call) {
        if (tracer == null) {
            return call.get();
        }
        long started = System.nanoTime();
        Span span = tracer.spanBuilder("redis " + operation)
                .setSpanKind(SpanKind.CLIENT)
                .setAllAttributes(common)
                .setAttribute(OPERATION, operation)
                .startSpan();
        if (commands > 1) {
            span.setAttribute(BATCH_SIZE, (long) commands);
        }
        String errorType = null;
        try (Scope ignored = span.makeCurrent()) {
            return call.get();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            errorType = cause.getClass().getSimpleName();
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
            AttributesBuilder attributes = Attributes.builder().put(SYSTEM, "redis").put(OPERATION, operation);
            if (errorType != null) {
                attributes.put(ERROR_TYPE, errorType);
            }
            duration.record((System.nanoTime() - started) / 1e9, attributes.build());
        }
    }

    /** Notes on the current round trip's span that a script had to be sent again ({@code NOSCRIPT}). */
    static void scriptResent() {
        Span.current().addEvent("script sent again (NOSCRIPT)");
    }
}
