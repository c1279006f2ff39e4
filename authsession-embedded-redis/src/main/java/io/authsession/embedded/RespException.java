package io.authsession.embedded;

/**
 * An error reply from Redis ({@code -ERR ...}, {@code -MOVED ...}, {@code -NOAUTH ...}); the message is the reply
 * without its leading {@code -}.
 */
public final class RespException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error reply with its text, for example {@code "MOVED 3999 127.0.0.1:6381"}. */
    public RespException(String reply) {
        super(reply);
    }

    /** The first word of the reply, the error's kind: {@code ERR}, {@code MOVED}, {@code NOAUTH}, ... */
    public String kind() {
        String message = getMessage();
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
