package io.authsession.server.admin;

/** The command cannot run as asked (exit status 2); the message names the problem on one line. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
