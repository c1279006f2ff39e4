package io.authsession.server;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The bounds of one HTTP listener (docs/architecture.md, "HTTP server", says why each has its value).
 *
 * @param maxConnections open connections the listener keeps; one more is answered 503 and closed at once
 * @param readTimeout how long the request head, and then the body, may take to arrive
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param ioThreads threads that read, parse, validate and answer without blocking
 * @param workerThreads threads that run the blocking work (Redis, the user and mail services)
 * @param drainGrace how long a draining listener waits for kept-alive clients to take their {@code Connection: close}
 */
record HttpLimits(
        int maxConnections, Duration readTimeout, Duration idleTimeout, int ioThreads, int workerThreads,
        Duration drainGrace) {
    static final int DEFAULT_MAX_CONNECTIONS = 1000;
    static final int MAX_MAX_CONNECTIONS = 1_000_000;
    /**
     * The worker pool of each listener, chosen from measurement (docs/performance.md, "Server CPU and memory"). A
     * request holds its worker while it waits on Redis and, for a confirm (or an untimed send), on the user and mail
     * services, so the pool bounds throughput at workers / dependency latency: with services answering in 5 ms, 32
     * workers did 1.8 times the sends and logins of 16, and 8 half of 16. With instant services the work is
     * CPU-bound and fewer threads win, but only by 0-10% for 16 against 32 (64 lost a little more).
     */
    static final int DEFAULT_WORKER_THREADS = 32;
    /** File descriptors kept for everything that is not a client connection: Redis, HTTP clients, jars, logs. */
    static final int RESERVED_FILE_DESCRIPTORS = 256;

    static final HttpLimits DEFAULTS = new HttpLimits(DEFAULT_MAX_CONNECTIONS, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Math.max(2, Runtime.getRuntime().availableProcessors()), DEFAULT_WORKER_THREADS,
            Duration.ofSeconds(1));

    HttpLimits {
        if (maxConnections < 1 || maxConnections > MAX_MAX_CONNECTIONS) {
            throw new IllegalArgumentException("maxConnections must be between 1 and " + MAX_MAX_CONNECTIONS);
        }
        requirePositive(readTimeout, "readTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(drainGrace, "drainGrace");
        if (ioThreads < 1 || workerThreads < 1) {
            throw new IllegalArgumentException("ioThreads and workerThreads must be at least 1");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than zero");
        }
    }

    HttpLimits withMaxConnections(int max) {
        return new HttpLimits(max, readTimeout, idleTimeout, ioThreads, workerThreads, drainGrace);
    }

    HttpLimits withReadTimeout(Duration timeout) {
        return new HttpLimits(maxConnections, timeout, idleTimeout, ioThreads, workerThreads, drainGrace);
    }

    /**
     * The drain grace for a shutdown budget: a tenth of it, at most the default second, so that a short shutdown
     * timeout (a test's, a fast redeploy's) is not spent waiting on idle kept-alive connections.
     */
    HttpLimits withDrainGraceFor(Duration shutdownBudget) {
        Duration grace = shutdownBudget.dividedBy(10);
        Duration bounded = grace.compareTo(drainGrace) < 0 ? grace : drainGrace;
        return new HttpLimits(maxConnections, readTimeout, idleTimeout, ioThreads, workerThreads,
                bounded.isZero() ? Duration.ofMillis(1) : bounded);
    }

    HttpLimits withWorkerThreads(int threads) {
        return new HttpLimits(maxConnections, readTimeout, idleTimeout, ioThreads, threads, drainGrace);
    }

    /**
     * The connection cap lowered, when needed, so that {@code listeners} full listeners still leave
     * {@value #RESERVED_FILE_DESCRIPTORS} descriptors of the process limit free: a listener that ran the process
     * out of descriptors would stop accepting and back off for up to 30 s (XNIO's accept back-off).
     */
    HttpLimits fitTo(OptionalLong maxFileDescriptors, int listeners) {
        if (maxFileDescriptors.isEmpty()) {
            return this;
        }
        long room = (maxFileDescriptors.getAsLong() - RESERVED_FILE_DESCRIPTORS) / listeners;
        return room >= maxConnections ? this : withMaxConnections((int) Math.max(1, room));
    }

    /** The process's limit on open file descriptors ({@code ulimit -n}), where the platform tells it. */
    static OptionalLong processFileDescriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return OptionalLong.of(unix.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }
}
