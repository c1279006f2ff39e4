package io.authsession.testkit;

import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import java.util.List;

class RecordingMailSenderTest extends MailSenderContract {
    private RecordingMailSender fake;

    @Override
    protected MailSender createSender() {
        fake = new RecordingMailSender();
        return fake;
    }

    @Override
    protected List<LoginCodeMail> deliveredMails() {
        return fake.sent();
    }

    @Override
    protected void refuseNextMail() {
        fake.failNextCalls(1);
    }
}
