package io.authsession.server;

import com.google.gson.JsonObject;
import io.authsession.core.error.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes JSON answers and the one error envelope. The only place that maps error codes to HTTP statuses. */
final class Responses {
    static final String JSON = "application/json";

    private Responses() {}

    /** Every answer goes through here, so every answer carries JSON and {@code no-store}. */
    static void json(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
    }

    static void error(HttpServerExchange exchange, int status, String code, String message, Map<String, String> headers) {
        headers.forEach((name, value) -> exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        json(exchange, status, envelope(code, message));
    }

    static String envelope(String code, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("code", code);
        error.addProperty("message", message);
        JsonObject envelope = new JsonObject();
        envelope.add("error", error);
        return envelope.toString();
    }

    /**
     * A whole HTTP/1.1 error answer as bytes, for the places that write to a connection without an exchange (a
     * refused connection, a request Undertow could not parse): the same headers and envelope, then the close.
     */
    static byte[] rawErrorResponse(int status, String reason, String code, String message) {
        byte[] body = envelope(code, message).getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: " + JSON + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "Connection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** The HTTP status of a use-case error code (CONTRACT §9). */
    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST, INVALID_CODE -> 400;
            case USER_BLOCKED -> 403;
            case CHALLENGE_NOT_FOUND, SESSION_NOT_FOUND, USER_NOT_FOUND -> 404;
            case CHALLENGE_EXPIRED -> 410;
            case SESSION_INACTIVE -> 409;
            case TOO_MANY_ATTEMPTS -> 429;
            case SERVICE_UNAVAILABLE -> 503;
        };
    }
}
