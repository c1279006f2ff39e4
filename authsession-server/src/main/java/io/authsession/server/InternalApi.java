package io.authsession.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.authsession.core.AuthSession;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.wire.DeviceSessionJson;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The internal listener's routes (CONTRACT §3). Sessions are written by the same code as the gateway snapshot. */
final class InternalApi {
    private final AuthSession auth;

    private InternalApi(AuthSession auth) {
        this.auth = auth;
    }

    static Router router(AuthSession auth) {
        InternalApi api = new InternalApi(auth);
        return new Router()
                .add("GET", "/api/v1/internal/users/{user_id}/sessions", api::listSessions)
                .add("GET", "/api/v1/internal/sessions/{device_session_id}", api::getSession)
                .add("POST", "/api/v1/internal/sessions/{device_session_id}/revoke", api::revokeSession)
                .add("POST", "/api/v1/internal/sessions/{device_session_id}/extend", api::extendSession)
                .add("POST", "/api/v1/internal/users/{user_id}/sessions/revoke-all", api::revokeAll)
                .add("POST", "/api/v1/internal/users/{user_id}/block", api::block);
    }

    private void listSessions(HttpServerExchange exchange, List<String> params) {
        String userId = params.get(0);
        Optional<SessionStatus> status = Optional.ofNullable(Requests.query(exchange).get("status")).map(value -> {
            try {
                return SessionStatus.fromWireName(value);
            } catch (IllegalArgumentException e) {
                throw AuthSessionException.invalidRequest("status", "must be active, revoked or expired");
            }
        });
        List<DeviceSession> sessions = auth.listSessions(userId, status);
        String body = "{\"user_id\":" + new JsonPrimitive(userId) + ",\"sessions\":["
                + sessions.stream().map(DeviceSessionJson::write).collect(Collectors.joining(",")) + "]}";
        Responses.json(exchange, 200, body);
    }

    private void getSession(HttpServerExchange exchange, List<String> params) {
        DeviceSession session = auth.findSession(params.get(0))
                .orElseThrow(() -> new AuthSessionException(ErrorCode.SESSION_NOT_FOUND, "no such device session"));
        Responses.json(exchange, 200, DeviceSessionJson.write(session));
    }

    private void revokeSession(HttpServerExchange exchange, List<String> params) throws IOException {
        Optional<String> reason = reason(exchange);
        Responses.json(exchange, 200, DeviceSessionJson.write(auth.revokeSession(params.get(0), reason)));
    }

    private void extendSession(HttpServerExchange exchange, List<String> params) {
        Responses.json(exchange, 200, DeviceSessionJson.write(auth.extendSession(params.get(0))));
    }

    private void revokeAll(HttpServerExchange exchange, List<String> params) throws IOException {
        Optional<String> reason = reason(exchange);
        revokedCount(exchange, params.get(0), auth.revokeAllSessions(params.get(0), reason));
    }

    private void block(HttpServerExchange exchange, List<String> params) throws IOException {
        Optional<String> reason = reason(exchange);
        revokedCount(exchange, params.get(0), auth.blockUser(params.get(0), reason));
    }

    private static Optional<String> reason(HttpServerExchange exchange) throws IOException {
        return Requests.optionalObject(exchange).flatMap(body -> Requests.optionalString(body, "reason"));
    }

    private static void revokedCount(HttpServerExchange exchange, String userId, int count) {
        JsonObject answer = new JsonObject();
        answer.addProperty("user_id", userId);
        answer.addProperty("revoked_count", count);
        Responses.json(exchange, 200, answer.toString());
    }
}
