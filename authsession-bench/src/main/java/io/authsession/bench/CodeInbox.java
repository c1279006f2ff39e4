package io.authsession.bench;

import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mail service of the library benchmarks: keeps each code until the benchmark types it. The testkit's
 * {@code RecordingMailSender} keeps every mail in a copy-on-write list and finds a code by scanning it, which costs
 * more per login with every login: fine in a test, a drift in a benchmark of a hundred thousand logins.
 */
final class CodeInbox implements MailSender {
    private final Map<String, String> codes = new ConcurrentHashMap<>();

    @Override
    public void sendLoginCode(LoginCodeMail mail) {
        codes.put(mail.challengeId(), mail.code());
    }

    @Override
    public void ping() {}

    /** The code mailed for the challenge, forgotten once taken. */
    String take(String challengeId) {
        String code = codes.remove(challengeId);
        if (code == null) {
            throw new IllegalStateException("no code was mailed for challenge " + challengeId);
        }
        return code;
    }
}
