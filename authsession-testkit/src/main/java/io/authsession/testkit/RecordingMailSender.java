package io.authsession.testkit;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link MailSender} that delivers nothing and remembers every mail, so a test can type the code. */
public final class RecordingMailSender implements MailSender {
    private final List<LoginCodeMail> sent = new CopyOnWriteArrayList<>();
    private final List<LoginCodeMail> attempted = new CopyOnWriteArrayList<>();
    private final Faults faults = new Faults("mail_service");

    /** The next {@code calls} sends fail as if the mail service refused them; nothing is recorded for them. */
    public void failNextCalls(int calls) {
        faults.failNext(calls);
    }

    /** Every mail accepted so far, oldest first. */
    public List<LoginCodeMail> sent() {
        return List.copyOf(sent);
    }

    /** Every mail a send was attempted for, failed ones included, oldest first. */
    public List<LoginCodeMail> attempted() {
        return List.copyOf(attempted);
    }

    /** The code of the last mail accepted for the address. */
    public Optional<String> lastCodeFor(String email) {
        EmailAddress address = EmailAddress.parse(email);
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).email().equals(address)) {
                return Optional.of(sent.get(i).code());
            }
        }
        return Optional.empty();
    }

    /** The code mailed for the challenge. */
    public Optional<String> codeFor(String challengeId) {
        return sent.stream().filter(mail -> mail.challengeId().equals(challengeId)).map(LoginCodeMail::code).findFirst();
    }

    @Override
    public void sendLoginCode(LoginCodeMail mail) {
        attempted.add(mail);
        faults.check();
        sent.add(mail);
    }

    @Override
    public void ping() {
        faults.check();
    }
}
