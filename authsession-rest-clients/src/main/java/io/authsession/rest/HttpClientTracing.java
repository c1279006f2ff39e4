package io.authsession.rest;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * A client span and an {@code http.client.request.duration} measurement per attempt of an outbound call, after the
 * OpenTelemetry semantic conventions for HTTP clients, with the trace context sent along ({@code traceparent}) so
 * that the user and mail services can continue the trace. The call is named by its endpoint
 * ({@code resolve-by-email}, {@code login-code}); the URL's path is not recorded, since one of them holds a user id,
 * and neither is a body.
 */
final class HttpClientTracing {
    static final String INSTRUMENTATION_SCOPE = "io.authsession.rest";
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> DEPENDENCY = AttributeKey.stringKey("authsession.dependency");
    static final AttributeKey<String> CALL = AttributeKey.stringKey("authsession.call");

    /** Records nothing and sends no trace header: the default of {@link RestClients.Builder}. */
    static final HttpClientTracing NONE = new HttpClientTracing();

    private static final List<Double> BUCKETS = List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
            0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final DoubleHistogram duration;

    private HttpClientTracing() {
        tracer = null;
        propagator = TextMapPropagator.noop();
        duration = null;
    }

    HttpClientTracing(OpenTelemetry openTelemetry) {
        tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
        propagator = openTelemetry.getPropagators().getTextMapPropagator();
        duration = openTelemetry.getMeter(INSTRUMENTATION_SCOPE).histogramBuilder("http.client.request.duration")
                .setDescription("Duration of outbound HTTP requests to the user and mail services, per attempt")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(BUCKETS)
                .build();
    }

    /** One attempt under way: its span, until {@link #end}. */
    final class Attempt {
        private final Span span;
        private final Attributes attributes;
        private final long started = System.nanoTime();

        private Attempt(Span span, Attributes attributes) {
            this.span = span;
            this.attributes = attributes;
        }

        /** The request with the trace context of this attempt's span in its headers. */
        Request propagate(Request request) {
            Request.Builder builder = request.newBuilder();
            propagator.inject(Context.current().with(span), builder, (carrier, name, value) -> carrier.header(name,
                    value));
            return builder.build();
        }

        /** The attempt got an answer with this status. */
        void end(int status) {
            span.setAttribute(STATUS, (long) status);
            AttributesBuilder measured = attributes.toBuilder().put(STATUS, (long) status);
            if (status >= 400) {
                span.setAttribute(ERROR_TYPE, Integer.toString(status));
                span.setStatus(StatusCode.ERROR);
                measured.put(ERROR_TYPE, Integer.toString(status));
            }
            finish(measured.build());
        }

        /** The attempt got no answer ({@code timeout}, {@code io_error:...}). */
        void failed(String errorType) {
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR);
            finish(attributes.toBuilder().put(ERROR_TYPE, errorType).build());
        }

        private void finish(Attributes measured) {
            span.end();
            if (duration != null) {
                duration.record((System.nanoTime() - started) / 1e9, measured);
            }
        }
    }

    /** Starts the span of one attempt of {@code call} to {@code url}; {@code attempt} counts from 1. */
    Attempt start(String dependency, String call, HttpUrl url, int attempt) {
        if (tracer == null) {
            return new Attempt(Span.getInvalid(), Attributes.empty());
        }
        Attributes attributes = Attributes.builder()
                .put(METHOD, "POST")
                .put(SERVER_ADDRESS, url.host())
                .put(SERVER_PORT, (long) url.port())
                .put(SCHEME, url.scheme())
                .put(DEPENDENCY, dependency)
                .put(CALL, call)
                .build();
        Span span = tracer.spanBuilder("POST " + call)
                .setSpanKind(SpanKind.CLIENT)
                .setAllAttributes(attributes)
                .startSpan();
        if (attempt > 1) {
            span.setAttribute(RESEND_COUNT, (long) attempt - 1);
        }
        return new Attempt(span, attributes);
    }
}
