package io.authsession.server;

import io.authsession.core.domain.DurationFormat;
import java.time.Duration;
import java.util.Map;

/**
 * A failure of the HTTP layer itself (not of a use case), answered in the contract's error envelope. Some close the
 * connection after the answer: those where the rest of the request was not read (or cannot be trusted).
 */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, String> headers;
    private final boolean closeConnection;

    private HttpError(int status, String code, String message, Map<String, String> headers, boolean closeConnection) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
        this.closeConnection = closeConnection;
    }

    static HttpError notFound() {
        return new HttpError(404, "not_found", "no such endpoint", Map.of(), false);
    }

    static HttpError methodNotAllowed(String allow) {
        return new HttpError(405, "method_not_allowed", "use " + allow.replace(",", " or"), Map.of("Allow", allow),
                false);
    }

    static HttpError requestTooLarge(int limit) {
        return new HttpError(413, "request_too_large", "the body must be at most " + limit + " bytes", Map.of(), true);
    }

    static HttpError unauthorized() {
        return new HttpError(401, "unauthorized", "a valid bearer token is required",
                Map.of("WWW-Authenticate", "Bearer"), false);
    }

    /** The request's framing or head is wrong: its end cannot be found reliably, so the connection is closed. */
    static HttpError malformed(String message) {
        return new HttpError(400, "invalid_request", message, Map.of(), true);
    }

    /** The body did not arrive in time (CONTRACT §9 has no code for it; docs/api.md documents this one). */
    static HttpError requestTimeout(Duration limit) {
        return new HttpError(408, "request_timeout", "the request did not arrive within "
                + DurationFormat.format(limit), Map.of(), true);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, String> headers() {
        return headers;
    }

    boolean closeConnection() {
        return closeConnection;
    }
}
