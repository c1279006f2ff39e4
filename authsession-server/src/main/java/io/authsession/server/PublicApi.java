package io.authsession.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.authsession.core.AuthSession;
import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.AuthSessionException;

/** The public listener's routes (CONTRACT §2). Each validates its request before it takes a worker. */
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

    private Router.Work sendEmailCode(Router.Request request) {
        String email = Requests.stringOrNull(request.requiredObject(), "email");
        // The use case parses it again; parsing here answers a malformed address without a worker.
        EmailAddress.parse(email);
        // The answer waits for the send answer time without a worker (CONTRACT §2.1: it tells nothing).
        return (Router.LaterWork) exchange -> auth.sendEmailCodeAsync(email).thenApply(challengeId -> {
            JsonObject answer = new JsonObject();
            answer.addProperty("challenge_id", challengeId);
            return new Router.Answer(200, answer.toString());
        });
    }

    private Router.Work confirmEmailCode(Router.Request request) {
        JsonObject body = request.requiredObject();
        JsonElement code = body.get("code");
        if (code != null && code.isJsonPrimitive() && code.getAsJsonPrimitive().isNumber()) {
            // A number would lose leading zeros: 042917 is not 42917.
            throw AuthSessionException.invalidRequest("code", "must be a string of exactly 6 digits, not a number");
        }
        ConfirmRequest confirm = new ConfirmRequest(
                Requests.stringOrNull(body, "challenge_id"),
                Requests.stringOrNull(body, "code"),
                Requests.optionalString(body, "client_public_key"),
                Requests.optionalString(body, "device_name"));
        return exchange -> {
            ConfirmedLogin login = auth.confirmEmailCode(confirm);
            JsonObject answer = new JsonObject();
            answer.addProperty("device_session_id", login.deviceSessionId());
            answer.addProperty("user_id", login.userId());
            Responses.json(exchange, 200, answer.toString());
        };
    }
}
