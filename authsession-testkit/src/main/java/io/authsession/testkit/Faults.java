package io.authsession.testkit;

import io.authsession.core.error.DependencyUnavailableException;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes the next N calls of a fake fail as if its dependency were down. Thread-safe. */
public final class Faults {
    private final String dependency;
    private final AtomicInteger remaining = new AtomicInteger();

    /** Faults for a dependency named like the production one, for example {@code redis}. */
    public Faults(String dependency) {
        this.dependency = dependency;
    }

    /** The next {@code calls} calls throw {@link DependencyUnavailableException}. */
    public void failNext(int calls) {
        if (calls < 0) {
            throw new IllegalArgumentException("calls must not be negative");
        }
        remaining.set(calls);
    }

    /** Throws when a failure is due, and counts it. Call at the start of every operation, before any change. */
    public void check() {
        if (remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new DependencyUnavailableException(dependency, "injected failure");
        }
    }
}
