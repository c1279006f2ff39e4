package io.authsession.server;

/** Startup failed at a named component; nothing is left listening. */
final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String component;

    StartupException(String component, Throwable cause) {
        super(component + ": " + LogFormat.oneLine(cause), cause);
        this.component = component;
    }

    String component() {
        return component;
    }
}
