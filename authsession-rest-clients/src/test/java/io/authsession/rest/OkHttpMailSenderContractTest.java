package io.authsession.rest;

import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import io.authsession.testkit.MailSenderContract;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;

/** The testkit's mail sender kit, run over real HTTP against a mail service that follows CONTRACT §6.2. */
class OkHttpMailSenderContractTest extends MailSenderContract {
    private MockWebServer server;
    private MailServiceDispatcher mailService;
    private RestClients rest;

    @Override
    protected MailSender createSender() {
        server = TestHttp.startedServer();
        mailService = new MailServiceDispatcher("/mail-svc/api/v1/mail/login-code");
        server.setDispatcher(mailService);
        rest = RestClients.builder()
                .mailServiceBaseUrl(TestHttp.baseUrl(server, "/mail-svc"))
                .mailServiceRequestTimeout(Duration.ofSeconds(5))
                .build();
        return rest.mailSender().orElseThrow();
    }

    @Override
    protected List<LoginCodeMail> deliveredMails() {
        return mailService.delivered();
    }

    @Override
    protected void refuseNextMail() {
        mailService.refuseNextMail();
    }

    @AfterEach
    void stop() {
        rest.close();
        server.close();
    }
}
