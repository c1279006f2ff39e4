package io.authsession.core.port;

/** The mail service. */
public interface MailSender {

    /** Hands a login code mail to the mail service; throws when it was not accepted. */
    void sendLoginCode(LoginCodeMail mail);

    /** Checks that the service answers; throws when it does not. */
    void ping();
}
