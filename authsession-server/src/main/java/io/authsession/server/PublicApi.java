package io.authsession.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.authsession.core.AuthSession;
import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.error.AuthSessionException;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.List;

/** The public listener's routes (CONTRACT §2). */
final class PublicApi {
    private final AuthSession auth;

    private PublicApi(AuthSession auth) {
        this.auth = auth;
    }

    static Router router(AuthSession auth) {
        PublicApi api = new PublicApi(auth);
        return new Router()
                .add("POST", "/api/v1/public/auth/send-email-code", api::sendEmailCode)
                .add("POST", "/api/v1/public/auth/confirm-email-code", api::confirmEmailCode);
    }

    private void sendEmailCode(HttpServerExchange exchange, List<String> params) throws IOException {
        JsonObject body = Requests.requiredObject(exchange);
        String challengeId = auth.sendEmailCode(Requests.stringOrNull(body, "email"));
        JsonObject answer = new JsonObject();
        answer.addProperty("challenge_id", challengeId);
        Responses.json(exchange, 200, answer.toString());
    }

    private void confirmEmailCode(HttpServerExchange exchange, List<String> params) throws IOException {
        JsonObject body = Requests.requiredObject(exchange);
        JsonElement code = body.get("code");
        if (code != null && code.isJsonPrimitive() && code.getAsJsonPrimitive().isNumber()) {
            // A number would lose leading zeros: 042917 is not 42917.
            throw AuthSessionException.invalidRequest("code", "must be a string of exactly 6 digits, not a number");
        }
        ConfirmRequest request = new ConfirmRequest(
                Requests.stringOrNull(body, "challenge_id"),
                Requests.stringOrNull(body, "code"),
                Requests.optionalString(body, "client_public_key"),
                Requests.optionalString(body, "device_name"));
        ConfirmedLogin login = auth.confirmEmailCode(request);
        JsonObject answer = new JsonObject();
        answer.addProperty("device_session_id", login.deviceSessionId());
        answer.addProperty("user_id", login.userId());
        Responses.json(exchange, 200, answer.toString());
    }
}
