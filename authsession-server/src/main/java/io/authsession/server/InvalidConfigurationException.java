package io.authsession.server;

/** A configuration variable is missing or invalid; the message starts with the variable's name. */
final class InvalidConfigurationException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidConfigurationException(String variable, String problem) {
        super(variable + ": " + problem);
    }
}
