package io.authsession.server;

import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.error.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * Exception mapping, the internal bearer token, and one access log line per request, around a {@link Router}.
 * Runs on a worker thread in blocking mode. No body ever carries a stack trace or a dependency's error text.
 */
final class ApiHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("io.authsession.server.http");

    private final String listener;
    private final Router router;
    private final Optional<byte[]> tokenDigest;

    ApiHandler(String listener, Router router, Optional<String> bearerToken) {
        this.listener = listener;
        this.router = router;
        this.tokenDigest = bearerToken.map(ApiHandler::sha256);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long started = System.nanoTime();
        exchange.startBlocking();
        try {
            authorize(exchange);
            router.route(exchange);
        } catch (HttpError e) {
            answer(exchange, e.status(), e.code(), e.getMessage(), e.headers());
        } catch (DependencyUnavailableException e) {
            LOG.log(Level.WARNING, () -> "event=dependency_unavailable listener=" + listener + " path="
                    + exchange.getRequestPath() + " dependency=" + e.dependency() + " error=\""
                    + LogFormat.oneLine(e) + "\"");
            answer(exchange, 503, ErrorCode.SERVICE_UNAVAILABLE.wireName(),
                    "a dependency is unavailable; retry later", Map.of());
        } catch (AuthSessionException e) {
            answer(exchange, Responses.status(e.code()), e.code().wireName(), e.getMessage(), Map.of());
        } catch (Exception | Error e) {
            LOG.log(Level.ERROR, "event=internal_error listener=" + listener + " path=" + exchange.getRequestPath(), e);
            answer(exchange, 500, "internal_error", "internal error", Map.of());
        } finally {
            int status = exchange.getStatusCode();
            long millis = (System.nanoTime() - started) / 1_000_000;
            LOG.log(Level.INFO, () -> "event=http_request listener=" + listener + " method="
                    + exchange.getRequestMethod() + " path=" + exchange.getRequestPath() + " status=" + status
                    + " duration_ms=" + millis);
        }
    }

    private void authorize(HttpServerExchange exchange) {
        if (tokenDigest.isEmpty()) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst(io.undertow.util.Headers.AUTHORIZATION);
        String scheme = "Bearer ";
        // The scheme is case-insensitive (RFC 7235); the token is compared as digests of one length, in constant time.
        if (header == null || !header.regionMatches(true, 0, scheme, 0, scheme.length())
                || !MessageDigest.isEqual(sha256(header.substring(scheme.length())), tokenDigest.get())) {
            throw HttpError.unauthorized();
        }
    }

    private static void answer(HttpServerExchange exchange, int status, String code, String message,
            Map<String, String> headers) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        Responses.error(exchange, status, code, message, headers);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
