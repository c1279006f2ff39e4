package io.authsession.server;

import io.authsession.core.wire.Timestamps;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import java.lang.System.Logger.Level;

/**
 * The stub mail service (CONTRACT §6): sends nothing and logs the address, challenge and code so that a developer
 * can log in locally. The single documented log line that carries a code.
 */
final class StubMailSender implements MailSender {
    private static final System.Logger LOG = System.getLogger(StubMailSender.class.getName());

    @Override
    public void sendLoginCode(LoginCodeMail mail) {
        LOG.log(Level.INFO, () -> "event=stub_mail email=" + mail.email() + " challenge_id=" + mail.challengeId()
                + " code=" + mail.code() + " expires_at=" + Timestamps.format(mail.expiresAt()));
    }

    @Override
    public void ping() {
        // In process: always reachable.
    }
}
