package io.authsession.rest;

import com.google.gson.JsonObject;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.EnsuredUser;
import io.authsession.core.port.UserDirectory;
import io.authsession.core.port.UserLookup;
import io.authsession.rest.ServiceEndpoint.Answer;
import io.authsession.rest.ServiceEndpoint.Retry;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The user service over REST, CONTRACT §6.1. */
final class OkHttpUserDirectory implements UserDirectory {
    static final String DEPENDENCY = "user_service";

    private static final String RESOLVE = "resolve-by-email";
    private static final String ENSURE = "ensure-by-email";
    private static final String BLOCK = "block";
    // URL normalisation removes these segments (OkHttp does it before sending, servers after receiving), so a
    // user with such an id cannot be addressed at all.
    private static final Set<String> UNADDRESSABLE_IDS = Set.of("", ".", "..");

    private final ServiceEndpoint endpoint;

    OkHttpUserDirectory(ServiceEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public UserLookup resolveByEmail(EmailAddress email) {
        Objects.requireNonNull(email, "email");
        Answer answer = endpoint.post(RESOLVE, endpoint.baseUrl().resolve("api", "v1", "users", RESOLVE),
                emailBody(email), Map.of(), Retry.ONCE_ON_TRANSIENT_FAILURE, true);
        JsonObject object = successfulObject(RESOLVE, answer);
        String status = Json.string(object, "status").orElseThrow(() -> badAnswer(RESOLVE, "has no status"));
        switch (status) {
            case "existing":
                return UserLookup.existing(userId(RESOLVE, object));
            case "blocked":
                return UserLookup.blocked(userId(RESOLVE, object));
            case "creatable":
                return UserLookup.creatable();
            default:
                // The value itself stays out of the message: it is the service's text, not ours.
                throw badAnswer(RESOLVE, "has an unknown status");
        }
    }

    @Override
    public EnsuredUser ensureByEmail(EmailAddress email) {
        Objects.requireNonNull(email, "email");
        Answer answer = endpoint.post(ENSURE, endpoint.baseUrl().resolve("api", "v1", "users", ENSURE),
                emailBody(email), Map.of(), Retry.NEVER, true);
        JsonObject object = successfulObject(ENSURE, answer);
        String userId = userId(ENSURE, object);
        boolean blocked = Json.bool(object, "blocked").orElseThrow(() -> badAnswer(ENSURE, "has no boolean blocked"));
        return new EnsuredUser(userId, blocked);
    }

    @Override
    public void block(String userId, String reason) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(reason, "reason");
        if (UNADDRESSABLE_IDS.contains(userId)) {
            throw userNotFound();
        }
        JsonObject body = new JsonObject();
        body.addProperty("reason", reason);
        Answer answer = endpoint.post(BLOCK, endpoint.baseUrl().resolve("api", "v1", "users", userId, BLOCK), body,
                Map.of(), Retry.NEVER, true);
        if (answer.status() == 404) {
            throw userNotFound();
        }
        JsonObject object = successfulObject(BLOCK, answer);
        if (!Json.bool(object, "blocked").orElse(false)) {
            // Without the block recorded the user could log in again, so this is no success.
            throw badAnswer(BLOCK, "does not say \"blocked\": true");
        }
    }

    @Override
    public void ping() {
        endpoint.ping();
    }

    private static JsonObject emailBody(EmailAddress email) {
        JsonObject body = new JsonObject();
        body.addProperty("email", email.value());
        return body;
    }

    private JsonObject successfulObject(String call, Answer answer) {
        if (!answer.successful()) {
            throw endpoint.unexpectedStatus(call, answer);
        }
        return Json.parseObject(answer.body()).orElseThrow(() -> badAnswer(call, "is not a JSON object"));
    }

    private String userId(String call, JsonObject object) {
        return Json.string(object, "user_id")
                .filter(id -> !id.isEmpty())
                .orElseThrow(() -> badAnswer(call, "has no non-empty user_id"));
    }

    private DependencyUnavailableException badAnswer(String call, String problem) {
        return endpoint.unavailable(call + " answer " + problem);
    }

    private static AuthSessionException userNotFound() {
        return new AuthSessionException(ErrorCode.USER_NOT_FOUND, "user_id: unknown to the user service");
    }
}
