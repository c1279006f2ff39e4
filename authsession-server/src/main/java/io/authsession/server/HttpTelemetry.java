package io.authsession.server;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The server span and the {@code http.server.request.duration} histogram of every request, after the OpenTelemetry
 * semantic conventions for HTTP servers. An incoming W3C {@code traceparent} is continued; the use-case spans of the
 * core are children of this span. Nothing that names a user, a session or a challenge is recorded: no path (only the
 * route template), no query, no header value, no body.
 */
final class HttpTelemetry {
    static final String INSTRUMENTATION_SCOPE = "io.authsession.server";

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> LISTENER = AttributeKey.stringKey("authsession.listener");
    static final AttributeKey<String> DEPENDENCY = AttributeKey.stringKey("authsession.dependency");

    /** Methods the conventions name; any other is {@code _OTHER}, so that junk methods cannot grow the metric. */
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
            "OPTIONS", "TRACE", "PATCH");

    private static final TextMapGetter<HeaderMap> HEADERS = new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // still abstract in the API, deprecated for a successor not yet stable
        public Iterable<String> keys(HeaderMap carrier) {
            List<String> names = new ArrayList<>();
            for (HttpString name : carrier.getHeaderNames()) {
                names.add(name.toString());
            }
            return names;
        }

        @Override
        public String get(HeaderMap carrier, String key) {
            return carrier == null ? null : carrier.getFirst(key);
        }
    };

    private final String listener;
    private final boolean recording;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final DoubleHistogram duration;
    private final LongCounter dependencyUnavailable;

    HttpTelemetry(OpenTelemetry openTelemetry, String listener) {
        this.listener = listener;
        // Without an SDK nothing is recorded: a request then costs a header lookup, not a span and two attribute sets.
        recording = openTelemetry != OpenTelemetry.noop();
        tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
        TextMapPropagator configured = openTelemetry.getPropagators().getTextMapPropagator();
        // Without an SDK the propagators are no-ops; W3C trace context is still read, so that log lines carry the
        // caller's trace id (a gateway's) even when this process exports nothing.
        propagator = configured == TextMapPropagator.noop() ? W3CTraceContextPropagator.getInstance() : configured;
        Meter meter = openTelemetry.getMeter(INSTRUMENTATION_SCOPE);
        duration = meter.histogramBuilder("http.server.request.duration")
                .setDescription("Duration of HTTP server requests, by method, route template and status")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(BUCKETS)
                .build();
        dependencyUnavailable = meter.counterBuilder("authsession.dependency.unavailable")
                .setDescription("Requests answered 503 because a dependency failed, by dependency and route")
                .setUnit("{request}")
                .build();
    }

    /** The semantic conventions' bounds, with finer ones below 5 ms, where most answers are. */
    static final List<Double> BUCKETS = List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
            0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    /** Starts the span of a request whose head was just parsed. */
    Request start(HttpServerExchange exchange) {
        if (!recording) {
            if (!exchange.getRequestHeaders().contains("traceparent")) {
                return new Request(Span.getInvalid(), Context.root(), null, null);
            }
            Context parent = propagator.extract(Context.root(), exchange.getRequestHeaders(), HEADERS);
            return new Request(Span.fromContext(parent), parent, null, null);
        }
        Context parent = propagator.extract(Context.root(), exchange.getRequestHeaders(), HEADERS);
        String method = method(exchange);
        String scheme = exchange.getRequestScheme();
        long port = exchange.getHostPort();
        Span span = tracer.spanBuilder(method.equals("_OTHER") ? "HTTP" : method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(SCHEME, scheme)
                .setAttribute(SERVER_PORT, port)
                .setAttribute(PROTOCOL_VERSION, protocolVersion(exchange))
                .setAttribute(LISTENER, listener)
                .startSpan();
        return new Request(span, parent.with(span), method, scheme);
    }

    private static String method(HttpServerExchange exchange) {
        String method = exchange.getRequestMethod().toString();
        return KNOWN_METHODS.contains(method) ? method : "_OTHER";
    }

    private static String protocolVersion(HttpServerExchange exchange) {
        String protocol = exchange.getProtocol().toString();
        return protocol.startsWith("HTTP/") ? protocol.substring("HTTP/".length()) : protocol;
    }

    /** One request's span, until {@link #end}; without an SDK only the caller's span context, recording nothing. */
    final class Request {
        private final Span span;
        private final Context context;
        private final String method;
        private final String scheme;
        private volatile String route;
        private volatile boolean ended;

        private Request(Span span, Context context, String method, String scheme) {
            this.span = span;
            this.context = context;
            this.method = method;
            this.scheme = scheme;
        }

        /** Makes the request's span current on this thread: log lines written meanwhile carry its trace id. */
        Scope makeCurrent() {
            return context == Context.root() ? Scope.noop() : context.makeCurrent();
        }

        /** The route template matched (never the path as sent, which may hold an id). */
        void route(String template) {
            if (method == null) {
                return;
            }
            route = template;
            span.setAttribute(ROUTE, template);
            span.updateName(method.equals("_OTHER") ? "HTTP " + template : method + " " + template);
        }

        /** A 503 for a failed dependency ({@code redis}, {@code user_service}, {@code mail_service}). */
        void dependencyUnavailable(String dependency) {
            if (method == null) {
                return;
            }
            span.setAttribute(DEPENDENCY, dependency);
            AttributesBuilder attributes = Attributes.builder().put(DEPENDENCY, dependency);
            if (route != null) {
                attributes.put(ROUTE, route);
            }
            dependencyUnavailable.add(1, attributes.build());
        }

        /**
         * Ends the span and records the duration.
         *
         * @param status the answer's status, or -1 when the request ended without one
         * @param outcome why there was no answer ({@code client_closed}, ...), or null
         */
        void end(long startedNanos, long endedNanos, int status, String outcome) {
            if (ended || method == null) {
                return;
            }
            ended = true;
            AttributesBuilder attributes = Attributes.builder().put(METHOD, method).put(SCHEME, scheme);
            if (route != null) {
                attributes.put(ROUTE, route);
            }
            if (status > 0) {
                attributes.put(STATUS, (long) status);
                span.setAttribute(STATUS, (long) status);
            }
            String errorType = outcome != null ? outcome : status >= 500 ? Integer.toString(status) : null;
            if (errorType != null) {
                attributes.put(ERROR_TYPE, errorType);
                span.setAttribute(ERROR_TYPE, errorType);
            }
            if (status >= 500) {
                // The conventions: a 4xx (and a client that went away) is the client's doing and leaves a server
                // span's status unset; a 5xx is an error.
                span.setStatus(StatusCode.ERROR);
            }
            duration.record((endedNanos - startedNanos) / 1e9, attributes.build());
            span.end();
        }
    }
}
