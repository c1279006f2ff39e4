package io.authsession.rest;

import com.google.gson.JsonObject;
import io.authsession.core.wire.Timestamps;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import io.authsession.rest.ServiceEndpoint.Answer;
import io.authsession.rest.ServiceEndpoint.Retry;
import java.util.Map;
import java.util.Objects;

/** The mail service over REST, CONTRACT §6.2. */
final class OkHttpMailSender implements MailSender {
    static final String DEPENDENCY = "mail_service";

    private static final String LOGIN_CODE = "login-code";

    private final ServiceEndpoint endpoint;

    OkHttpMailSender(ServiceEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void sendLoginCode(LoginCodeMail mail) {
        Objects.requireNonNull(mail, "mail");
        JsonObject body = new JsonObject();
        body.addProperty("email", mail.email().value());
        body.addProperty("code", mail.code());
        body.addProperty("challenge_id", mail.challengeId());
        body.addProperty("expires_at", Timestamps.format(mail.expiresAt()));
        // Never retried (CONTRACT §6.2): a lost answer does not mean a lost mail, so a retry could mail the code
        // twice. The Idempotency-Key lets the mail service drop duplicates that something else sends.
        Answer answer = endpoint.post(LOGIN_CODE, endpoint.baseUrl().resolve("api", "v1", "mail", LOGIN_CODE), body,
                Map.of("Idempotency-Key", mail.challengeId()), Retry.NEVER, false);
        if (!answer.successful()) {
            throw endpoint.unexpectedStatus(LOGIN_CODE, answer);
        }
    }

    @Override
    public void ping() {
        endpoint.ping();
    }
}
