package io.authsession.rest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.LoginCodeMail;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** A mail service as CONTRACT §6.2 describes it: decodes each mail it accepts, and can refuse the next one. */
final class MailServiceDispatcher extends Dispatcher {
    private final List<LoginCodeMail> delivered = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refuseNext = new AtomicBoolean();
    private final String path;

    /** @param path where the service takes mails, for example {@code /mail-svc/api/v1/mail/login-code} */
    MailServiceDispatcher(String path) {
        this.path = path;
    }

    List<LoginCodeMail> delivered() {
        return List.copyOf(delivered);
    }

    void refuseNextMail() {
        refuseNext.set(true);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!request.getMethod().equals("POST") || !request.getUrl().encodedPath().equals(path)) {
            return TestHttp.status(404);
        }
        if (refuseNext.getAndSet(false)) {
            return TestHttp.json(503, "{\"error\":\"try later\"}");
        }
        JsonObject body = JsonParser.parseString(TestHttp.bodyOf(request)).getAsJsonObject();
        String challengeId = body.get("challenge_id").getAsString();
        if (!challengeId.equals(request.getHeaders().get("Idempotency-Key"))) {
            return TestHttp.json(400, "{\"error\":\"Idempotency-Key must be the challenge_id\"}");
        }
        delivered.add(new LoginCodeMail(EmailAddress.parse(body.get("email").getAsString()),
                body.get("code").getAsString(), challengeId, Instant.parse(body.get("expires_at").getAsString())));
        return TestHttp.status(202);
    }
}
