package io.authsession.rest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.EnsuredUser;
import io.authsession.core.port.UserLookup;
import io.authsession.testkit.InMemoryUserDirectory;
import java.util.List;
import java.util.Locale;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** A user service as CONTRACT §6.1 describes it, answering from an {@link InMemoryUserDirectory}. */
final class UserServiceDispatcher extends Dispatcher {
    private final InMemoryUserDirectory users = new InMemoryUserDirectory();
    private final List<String> prefix;

    /** @param prefix the base URL's path segments, for example {@code ["users-svc"]} */
    UserServiceDispatcher(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        List<String> segments = request.getUrl().pathSegments();
        if (!request.getMethod().equals("POST") || segments.size() < prefix.size()
                || !segments.subList(0, prefix.size()).equals(prefix)) {
            return TestHttp.status(404);
        }
        List<String> path = segments.subList(prefix.size(), segments.size());
        JsonObject body = JsonParser.parseString(TestHttp.bodyOf(request)).getAsJsonObject();
        if (path.equals(List.of("api", "v1", "users", "resolve-by-email"))) {
            return resolve(EmailAddress.parse(body.get("email").getAsString()));
        }
        if (path.equals(List.of("api", "v1", "users", "ensure-by-email"))) {
            return ensure(EmailAddress.parse(body.get("email").getAsString()));
        }
        if (path.size() == 5 && path.subList(0, 3).equals(List.of("api", "v1", "users")) && path.get(4).equals("block")) {
            return block(path.get(3), body.get("reason").getAsString());
        }
        return TestHttp.status(404);
    }

    private MockResponse resolve(EmailAddress email) {
        UserLookup lookup = users.resolveByEmail(email);
        JsonObject answer = new JsonObject();
        answer.addProperty("status", lookup.status().name().toLowerCase(Locale.ROOT));
        lookup.userId().ifPresent(id -> answer.addProperty("user_id", id));
        return TestHttp.json(200, answer.toString());
    }

    private MockResponse ensure(EmailAddress email) {
        EnsuredUser user = users.ensureByEmail(email);
        JsonObject answer = new JsonObject();
        answer.addProperty("user_id", user.userId());
        answer.addProperty("blocked", user.blocked());
        return TestHttp.json(200, answer.toString());
    }

    private MockResponse block(String userId, String reason) {
        try {
            users.block(userId, reason);
        } catch (AuthSessionException e) {
            if (e.code() == ErrorCode.USER_NOT_FOUND) {
                return TestHttp.json(404, "{\"error\":\"no such user\"}");
            }
            throw e;
        }
        JsonObject answer = new JsonObject();
        answer.addProperty("user_id", userId);
        answer.addProperty("blocked", true);
        return TestHttp.json(200, answer.toString());
    }
}
