package io.authsession.server.admin;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT, or SIGTERM) for a command that works in batches: the JVM's shutdown hook asks the command to stop,
 * then waits for it to finish its batch in flight and print where to resume, and ends the process with the
 * command's own status. A command that does not listen ends at once, as usual.
 */
final class Interruption {
    /** How long a stopping command may take to finish its batch before the process ends anyway. */
    private static final Duration GRACE = Duration.ofMinutes(2);

    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean listening = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int status = Exit.INTERRUPTED;

    /** Installs the shutdown hook. */
    static Interruption install() {
        Interruption interruption = new Interruption();
        Runtime.getRuntime().addShutdownHook(new Thread(interruption::onShutdown, "admin-interrupt"));
        return interruption;
    }

    /**
     * Whether a stop was asked for. From the first call on, a signal no longer ends the process at once: the shutdown
     * hook waits for {@link #finish}.
     */
    boolean requested() {
        listening.set(true);
        return requested.get();
    }

    /** Whether the process is stopping because of a signal (then the hook, not the caller, ends it). */
    boolean stopping() {
        return requested.get();
    }

    /** The command is done: the hook may end the process with {@code exitStatus}. */
    void finish(int exitStatus) {
        status = exitStatus;
        finished.countDown();
    }

    private void onShutdown() {
        requested.set(true);
        if (!listening.get()) {
            return;
        }
        try {
            finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
