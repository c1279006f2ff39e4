package io.authsession.server;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a step with a time budget, so that one misbehaving component cannot hang startup or shutdown. */
final class TimeBudget {
    private static final System.Logger LOG = System.getLogger(TimeBudget.class.getName());

    private TimeBudget() {}

    /** Runs {@code step} within {@code budget}; returns whether it finished in time, logging when it did not. */
    static boolean run(String component, Duration budget, Runnable step) {
        try {
            check(component, budget, step);
            return true;
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, () -> "event=step_timed_out component=" + component + " budget=" + budget);
        } catch (Exception e) {
            LOG.log(Level.WARNING, () -> "event=step_failed component=" + component + " error=\""
                    + LogFormat.oneLine(e) + "\"");
        }
        return false;
    }

    /** Runs {@code step} within {@code budget} on a daemon thread; throws its failure, or a timeout. */
    static void check(String component, Duration budget, Runnable step) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                step.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "bounded-" + component);
        thread.setDaemon(true);
        thread.start();
        try {
            done.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("no answer within " + budget.toMillis() + "ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }
}
