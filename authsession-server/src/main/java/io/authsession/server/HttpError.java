package io.authsession.server;

import java.util.Map;

/** A failure of the HTTP layer itself (not of a use case), answered in the contract's error envelope. */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, String> headers;

    private HttpError(int status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    static HttpError notFound() {
        return new HttpError(404, "not_found", "no such endpoint", Map.of());
    }

    static HttpError methodNotAllowed(String allow) {
        return new HttpError(405, "method_not_allowed", "use " + allow.replace(",", " or"), Map.of("Allow", allow));
    }

    static HttpError requestTooLarge(int limit) {
        return new HttpError(413, "request_too_large", "the body must be at most " + limit + " bytes", Map.of());
    }

    static HttpError unauthorized() {
        return new HttpError(401, "unauthorized", "a valid bearer token is required",
                Map.of("WWW-Authenticate", "Bearer"));
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
}
