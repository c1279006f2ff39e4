package io.authsession.server.admin;

/** The exit statuses of CONTRACT §10, and the one of a run stopped by Ctrl-C. */
final class Exit {
    static final int OK = 0;
    /** A dependency (Redis) failed. */
    static final int DEPENDENCY = 1;
    /** Bad usage or configuration. */
    static final int USAGE = 2;
    /** The audit found problems (or the repair left some). */
    static final int PROBLEMS = 3;
    /** Stopped by SIGINT (Ctrl-C) after the batch in flight, as a shell reports an interrupted command. */
    static final int INTERRUPTED = 130;

    private Exit() {}
}
