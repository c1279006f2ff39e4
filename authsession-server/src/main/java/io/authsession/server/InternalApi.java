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
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The internal listener's routes (CONTRACT §3). Sessions are written by the same code as the gateway snapshot. Each
 * validates its request (path parameters are checked by the {@link Router}) before it takes a worker.
 */
final class InternalApi {
    /** CONTRACT §3; the facade checks it too, this answers a bad reason without a worker. */
    private static final int MAX_REASON_LENGTH = 256;

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

    private Router.Work listSessions(Router.Request request) {
        String userId = request.param(0);
        Optional<SessionStatus> status = Optional.ofNullable(request.query().get("status")).map(value -> {
            try {
                return SessionStatus.fromWireName(value);
            } catch (IllegalArgumentException e) {
                throw AuthSessionException.invalidRequest("status", "must be active, revoked or expired");
            }
        });
        return exchange -> {
            List<DeviceSession> sessions = auth.listSessions(userId, status);
            String body = "{\"user_id\":" + new JsonPrimitive(userId) + ",\"sessions\":["
                    + sessions.stream().map(DeviceSessionJson::write).collect(Collectors.joining(",")) + "]}";
            Responses.json(exchange, 200, body);
        };
    }

    private Router.Work getSession(Router.Request request) {
        String sessionId = request.param(0);
        return exchange -> {
            DeviceSession session = auth.findSession(sessionId)
                    .orElseThrow(() -> new AuthSessionException(ErrorCode.SESSION_NOT_FOUND, "no such device session"));
            Responses.json(exchange, 200, DeviceSessionJson.write(session));
        };
    }

    private Router.Work revokeSession(Router.Request request) {
        String sessionId = request.param(0);
        Optional<String> reason = reason(request);
        return exchange -> Responses.json(exchange, 200, DeviceSessionJson.write(auth.revokeSession(sessionId, reason)));
    }

    private Router.Work extendSession(Router.Request request) {
        String sessionId = request.param(0);
        return exchange -> Responses.json(exchange, 200, DeviceSessionJson.write(auth.extendSession(sessionId)));
    }

    private Router.Work revokeAll(Router.Request request) {
        String userId = request.param(0);
        Optional<String> reason = reason(request);
        return exchange -> revokedCount(exchange, userId, auth.revokeAllSessions(userId, reason));
    }

    private Router.Work block(Router.Request request) {
        String userId = request.param(0);
        Optional<String> reason = reason(request);
        return exchange -> revokedCount(exchange, userId, auth.blockUser(userId, reason));
    }

    private static Optional<String> reason(Router.Request request) {
        Optional<String> reason = request.optionalObject().flatMap(body -> Requests.optionalString(body, "reason"));
        reason.ifPresent(why -> {
            if (why.isEmpty()) {
                throw AuthSessionException.invalidRequest("reason", "must not be empty (leave it out for the default)");
            }
            if (why.length() > MAX_REASON_LENGTH) {
                throw AuthSessionException.invalidRequest("reason", "must be at most " + MAX_REASON_LENGTH + " characters");
            }
            if (why.chars().anyMatch(Character::isISOControl)) {
                throw AuthSessionException.invalidRequest("reason", "must not contain control characters");
            }
        });
        return reason;
    }

    private static void revokedCount(HttpServerExchange exchange, String userId, int count) {
        JsonObject answer = new JsonObject();
        answer.addProperty("user_id", userId);
        answer.addProperty("revoked_count", count);
        Responses.json(exchange, 200, answer.toString());
    }
}
