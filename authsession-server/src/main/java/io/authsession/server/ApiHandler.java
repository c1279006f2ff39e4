package io.authsession.server;

import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.error.ErrorCode;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Scope;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.xnio.IoUtils;

/**
 * Everything between a parsed request head and the use case, for one listener: framing checks, the internal bearer
 * token, routing, reading the body, the route's checks, exception mapping, and one access log line per request.
 *
 * <p>All of it runs on the IO thread and never blocks, up to the route's {@link Router.Work}, which alone is
 * dispatched to the worker pool. So a request that needs no dependency (a malformed body, an unknown path, a wrong
 * method, a body too large, a missing token) is answered at once even while every worker waits on a hung Redis or
 * user service, and a body that arrives slowly holds no worker. No body ever carries a stack trace or a dependency's
 * error text; no log line carries a device session id (only its keyed fingerprint).
 *
 * <p>Each request has a server span ({@link HttpTelemetry}), current wherever the request's code runs (IO thread,
 * worker, the answer's write), so that the use-case spans are its children and every log line of the request,
 * the access line included, carries its {@code trace_id}.
 */
final class ApiHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("io.authsession.server.http");
    private static final byte[] NO_BODY = new byte[0];
    private static final String SESSION_ID = "device_session_id";

    private final String listener;
    private final Router router;
    private final Optional<byte[]> tokenDigest;
    private final Function<String, String> fingerprinter;
    private final Duration readTimeout;
    private final HttpTelemetry telemetry;

    /** A handler without telemetry (tests of the HTTP layer alone). */
    ApiHandler(String listener, Router router, Optional<String> bearerToken, Function<String, String> fingerprinter,
            Duration readTimeout) {
        this(listener, router, bearerToken, fingerprinter, readTimeout, OpenTelemetry.noop());
    }

    /**
     * @param fingerprinter turns a device session id into what the access log may show
     *     ({@code CodeHashKey::fingerprintOf})
     * @param readTimeout how long a request body may take to arrive
     * @param openTelemetry where the server spans and the request duration histogram go
     */
    ApiHandler(String listener, Router router, Optional<String> bearerToken, Function<String, String> fingerprinter,
            Duration readTimeout, OpenTelemetry openTelemetry) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.router = Objects.requireNonNull(router, "router");
        this.tokenDigest = bearerToken.map(ApiHandler::sha256);
        this.fingerprinter = Objects.requireNonNull(fingerprinter, "fingerprinter");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.telemetry = new HttpTelemetry(openTelemetry, listener);
    }

    /** What the access line of one request says, filled in as the request goes. */
    private static final class Trace {
        final long started = System.nanoTime();
        final HttpTelemetry.Request span;
        volatile String route = "-";
        volatile String fingerprint;
        volatile String outcome;
        volatile boolean bodyRead;

        Trace(HttpTelemetry.Request span) {
            this.span = span;
        }

        void route(String template) {
            route = template;
            span.route(template);
        }
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Trace trace = new Trace(telemetry.start(exchange));
        exchange.addExchangeCompleteListener((completed, next) -> {
            if (completed.isResponseStarted()) {
                accessLog(completed, trace, System.nanoTime());
            } else {
                // Ended without an answer: the connection closed under the request. Undertow closes it before it
                // reports why (a client gone, a broken chunk), so the line waits for the report to be handled.
                deferAccessLog(completed, trace);
            }
            next.proceed();
        });
        try (Scope ignored = trace.span.makeCurrent()) {
            route(exchange, trace);
        }
    }

    private void route(HttpServerExchange exchange, Trace trace) {
        try {
            checkFraming(exchange);
            authorize(exchange);
            Router.Match match;
            try {
                match = router.match(exchange);
            } catch (HttpError e) {
                if (e.status() == 405) {
                    router.templateOf(exchange).ifPresent(trace::route);
                }
                throw e;
            }
            trace.route(match.template());
            int session = match.names().indexOf(SESSION_ID);
            if (session >= 0) {
                trace.fingerprint = fingerprinter.apply(match.params().get(session));
            }
            if (hasBody(exchange)) {
                BodyReader.read(exchange, readTimeout, (ex, body) -> {
                    try (Scope ignored = trace.span.makeCurrent()) {
                        prepare(ex, trace, match, body);
                    }
                }, (ex, failure, cause) -> {
                    try (Scope ignored = trace.span.makeCurrent()) {
                        bodyFailed(ex, trace, failure, cause);
                    }
                });
            } else {
                prepare(exchange, trace, match, NO_BODY);
            }
        } catch (Throwable e) {
            fail(exchange, trace, e);
        }
    }

    /** The route's checks, still on the IO thread; then the work goes to a worker. */
    private void prepare(HttpServerExchange exchange, Trace trace, Router.Match match, byte[] body) {
        trace.bodyRead = true;
        try {
            Router.Work work = match.route().prepare(new Router.Request(exchange, match.params(), body));
            exchange.dispatch((HttpHandler) dispatched -> {
                try (Scope ignored = trace.span.makeCurrent()) {
                    if (work instanceof Router.LaterWork later) {
                        answerLater(dispatched, trace, later.start(dispatched));
                    } else {
                        work.run(dispatched);
                    }
                } catch (Throwable e) {
                    fail(dispatched, trace, e);
                }
            });
        } catch (Throwable e) {
            fail(exchange, trace, e);
        }
    }

    /**
     * Keeps the exchange open past the worker's return (a dispatch to the same thread, Undertow's way of saying "not
     * done yet") and writes the answer on the IO thread when it comes.
     */
    private void answerLater(HttpServerExchange exchange, Trace trace, CompletionStage<Router.Answer> answer) {
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> answer.whenComplete((done, failure) -> {
            Runnable answerIt = failure == null
                    ? () -> done.write(exchange)
                    : () -> fail(exchange, trace, failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
            Runnable write = () -> {
                try (Scope ignored = trace.span.makeCurrent()) {
                    answerIt.run();
                }
            };
            try {
                exchange.getIoThread().execute(write);
            } catch (RuntimeException e) {
                // The IO thread is stopping: the connection goes with it.
                IoUtils.safeClose(exchange.getConnection());
            }
        }));
    }

    private void bodyFailed(HttpServerExchange exchange, Trace trace, BodyReader.Failure failure, IOException cause) {
        switch (failure) {
            case TOO_LARGE -> fail(exchange, trace, HttpError.requestTooLarge(Requests.MAX_BODY_BYTES));
            case TIMED_OUT -> fail(exchange, trace, HttpError.requestTimeout(readTimeout));
            case MALFORMED -> {
                if (exchange.getConnection().isOpen()) {
                    fail(exchange, trace, HttpError.malformed("body: the chunked encoding is not valid"));
                } else {
                    // Undertow drops the connection on a chunk it cannot decode, before anyone could answer.
                    trace.outcome = "malformed_body";
                }
            }
            case CLIENT_GONE -> {
                // Nobody is left to answer; a client error, logged as the access line only.
                trace.outcome = "client_closed";
                IoUtils.safeClose(exchange.getConnection());
            }
        }
    }

    /**
     * Refuses what Undertow lets through but a server must not guess at (RFC 9112 §6): another protocol version, a
     * transfer coding other than {@code chunked}, a {@code Content-Length} that is not one number. (Undertow checks
     * {@code Host} itself; {@link ParseFailureConduit} puts the envelope on its answer.)
     */
    private static void checkFraming(HttpServerExchange exchange) {
        HttpString protocol = exchange.getProtocol();
        boolean http11 = protocol.equals(Protocols.HTTP_1_1);
        if (!http11 && !protocol.equals(Protocols.HTTP_1_0)) {
            throw HttpError.malformed("only HTTP/1.1 and HTTP/1.0 are served");
        }
        HeaderMap headers = exchange.getRequestHeaders();
        HeaderValues encoding = headers.get(Headers.TRANSFER_ENCODING);
        HeaderValues length = headers.get(Headers.CONTENT_LENGTH);
        if (encoding != null) {
            if (!http11 || length != null || encoding.size() != 1 || !encoding.getFirst().strip().equalsIgnoreCase("chunked")) {
                throw HttpError.malformed("Transfer-Encoding: only chunked is accepted, alone, in HTTP/1.1");
            }
        }
        if (length != null) {
            if (length.size() != 1 || !length.getFirst().matches("[0-9]{1,18}")) {
                throw HttpError.malformed("Content-Length: must be one decimal number");
            }
            if (Long.parseLong(length.getFirst()) > Requests.MAX_BODY_BYTES) {
                throw HttpError.requestTooLarge(Requests.MAX_BODY_BYTES);
            }
        }
    }

    private static boolean hasBody(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getRequestHeaders();
        String length = headers.getFirst(Headers.CONTENT_LENGTH);
        return headers.contains(Headers.TRANSFER_ENCODING) || length != null && Long.parseLong(length) > 0;
    }

    private void authorize(HttpServerExchange exchange) {
        if (tokenDigest.isEmpty()) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        String scheme = "Bearer ";
        // The scheme is case-insensitive (RFC 7235); the token is compared as digests of one length, in constant time.
        if (header == null || !header.regionMatches(true, 0, scheme, 0, scheme.length())
                || !MessageDigest.isEqual(sha256(header.substring(scheme.length())), tokenDigest.get())) {
            throw HttpError.unauthorized();
        }
    }

    /** Maps a failure to its answer; runs on the IO thread or on a worker. */
    private void fail(HttpServerExchange exchange, Trace trace, Throwable e) {
        try (Scope ignored = trace.span.makeCurrent()) {
            failInSpan(exchange, trace, e);
        }
    }

    private void failInSpan(HttpServerExchange exchange, Trace trace, Throwable e) {
        if (e instanceof HttpError http) {
            answer(exchange, trace, http.status(), http.code(), http.getMessage(), http.headers(), http.closeConnection());
        } else if (e instanceof DependencyUnavailableException unavailable) {
            trace.span.dependencyUnavailable(unavailable.dependency());
            LOG.log(Level.WARNING, () -> "event=dependency_unavailable listener=" + listener + " route=" + trace.route
                    + " dependency=" + unavailable.dependency() + " error=\"" + LogFormat.oneLine(unavailable) + "\"");
            answer(exchange, trace, 503, ErrorCode.SERVICE_UNAVAILABLE.wireName(),
                    "a dependency is unavailable; retry later", Map.of(), false);
        } else if (e instanceof AuthSessionException refused) {
            answer(exchange, trace, Responses.status(refused.code()), refused.code().wireName(), refused.getMessage(),
                    Map.of(), false);
        } else {
            LOG.log(Level.ERROR, "event=internal_error listener=" + listener + " route=" + trace.route, e);
            answer(exchange, trace, 500, "internal_error", "internal error", Map.of(), false);
        }
    }

    private static void answer(HttpServerExchange exchange, Trace trace, int status, String code, String message,
            Map<String, String> headers, boolean close) {
        if (!exchange.getConnection().isOpen()) {
            return;
        }
        if (exchange.isResponseStarted()) {
            trace.outcome = "answer_failed";
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        if (close || !trace.bodyRead && hasBodySafely(exchange)) {
            // The rest of the request was not read: closing beats reading an unbounded body to keep the connection.
            exchange.setPersistent(false);
        }
        Responses.error(exchange, status, code, message, headers);
    }

    private static boolean hasBodySafely(HttpServerExchange exchange) {
        try {
            return hasBody(exchange);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private void deferAccessLog(HttpServerExchange exchange, Trace trace) {
        long ended = System.nanoTime();
        Runnable line = () -> {
            if (trace.outcome == null) {
                trace.outcome = "connection_closed";
            }
            accessLog(exchange, trace, ended);
        };
        try {
            exchange.getIoThread().execute(line);
        } catch (RuntimeException e) {
            // the IO thread is stopping
            line.run();
        }
    }

    /** The access line, written inside the request's span (so it carries the trace id), which then ends. */
    private void accessLog(HttpServerExchange exchange, Trace trace, long ended) {
        long millis = (ended - trace.started) / 1_000_000;
        String outcome = trace.outcome;
        String status = outcome == null ? Integer.toString(exchange.getStatusCode()) : "-";
        try (Scope ignored = trace.span.makeCurrent()) {
            LOG.log(Level.INFO, () -> "event=http_request listener=" + listener + " method="
                    + exchange.getRequestMethod() + " route=" + trace.route
                    + (trace.fingerprint == null ? "" : " session_fingerprint=" + trace.fingerprint)
                    + " status=" + status + (outcome == null ? "" : " outcome=" + outcome) + " duration_ms=" + millis);
        }
        trace.span.end(trace.started, ended, outcome == null ? exchange.getStatusCode() : -1, outcome);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
