package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The behaviour authsession expects of a {@link MailSender}. */
public abstract class MailSenderContract {
    protected MailSender sender;

    /** A sender whose accepted mails {@link #deliveredMails()} shows. */
    protected abstract MailSender createSender();

    /** The mails the mail service accepted, oldest first. */
    protected abstract List<LoginCodeMail> deliveredMails();

    /** The mail service refuses the next mail. */
    protected abstract void refuseNextMail();

    @BeforeEach
    void createSenderUnderTest() {
        sender = createSender();
    }

    private static LoginCodeMail mail(String challengeId) {
        return new LoginCodeMail(EmailAddress.parse("kit@example.com"), "042917", challengeId,
                Instant.parse("2026-11-22T10:15:30.123Z"));
    }

    @Test
    @DisplayName("a mail is delivered with its address, code, challenge id and expiry")
    void delivers() {
        sender.sendLoginCode(mail("c1"));
        assertThat(deliveredMails()).containsExactly(mail("c1"));
    }

    @Test
    @DisplayName("a refused mail is a dependency failure and is not delivered")
    void refused() {
        refuseNextMail();
        assertThatThrownBy(() -> sender.sendLoginCode(mail("c2"))).isInstanceOf(DependencyUnavailableException.class);
        assertThat(deliveredMails()).isEmpty();
        sender.sendLoginCode(mail("c3"));
        assertThat(deliveredMails()).containsExactly(mail("c3"));
    }
}
