package io.authsession.testkit;

import io.authsession.embedded.RespException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;

/** Polls a state until it is reached, for the topologies' waits. */
final class Poll {
    private static final long INTERVAL_MILLIS = 25;

    private Poll() {}

    /**
     * Asks {@code problem} until it answers {@code null} (the goal is reached). A Redis error or a connection failure
     * counts as "not yet".
     *
     * @throws AssertionError with the last problem when the goal is not reached within {@code timeout}
     */
    static void until(Duration timeout, String goal, Supplier<String> problem) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not checked";
        while (true) {
            try {
                last = problem.get();
                if (last == null) {
                    return;
                }
            } catch (RespException | UncheckedIOException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError(goal + " not reached within " + timeout + ": " + last);
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + goal, e);
            }
        }
    }
}
