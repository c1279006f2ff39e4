package io.authsession.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Drives one operation against the server from a fixed set of workers, each with its own connections.
 *
 * <p>Closed loop (each worker sends its next operation when the last one answered) finds the saturation throughput.
 * Open loop (operations start at a constant rate whatever the server does) measures latency without coordinated
 * omission: operation {@code i} is due at {@code start + i / rate}, and its latency is counted from that moment, not
 * from when a worker got round to sending it, so time spent queued behind a slow answer is in the figures (the wrk2
 * model). Latencies are recorded in microseconds in HdrHistograms.
 */
final class LoadGenerator {
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    /** One operation, on the worker's own connections; throws when the answer is not the expected one. */
    interface Operation {
        void run(Worker worker) throws Exception;
    }

    /** The connections of one worker thread. */
    static final class Worker implements AutoCloseable {
        final HttpConnection publicApi;
        final HttpConnection internalApi;

        Worker(HttpConnection publicApi, HttpConnection internalApi) {
            this.publicApi = publicApi;
            this.internalApi = internalApi;
        }

        @Override
        public void close() {
            publicApi.close();
            internalApi.close();
        }
    }

    /**
     * What a phase measured.
     *
     * @param throughput completed operations per second
     * @param notStarted open loop: operations still due when the phase was cut off (the server fell far behind)
     */
    record Phase(double throughput, long completed, long errors, long notStarted, Histogram latencies) {
        double p50Millis() {
            return latencies.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latencies.getValueAtPercentile(99) / 1000.0;
        }
    }

    private final List<Worker> workers = new ArrayList<>();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    LoadGenerator(int workers, Supplier<Worker> connect) {
        for (int i = 0; i < workers; i++) {
            this.workers.add(connect.get());
        }
    }

    /** As fast as {@code concurrency} workers can go, for {@code duration}. */
    Phase closedLoop(Operation op, int concurrency, Duration duration) throws InterruptedException {
        int n = Math.min(concurrency, workers.size());
        List<Histogram> histograms = new ArrayList<>();
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int w = 0; w < n; w++) {
            Worker worker = workers.get(w);
            Histogram histogram = new Histogram(HIGHEST_MICROS, 3);
            histograms.add(histogram);
            start(() -> {
                try {
                    for (long t0 = System.nanoTime(); t0 < end; t0 = System.nanoTime()) {
                        if (runOnce(op, worker)) {
                            histogram.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - t0) / 1000));
                            completed.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + w);
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(completed.get() / seconds, completed.get(), errors.get(), 0, merge(histograms));
    }

    /**
     * {@code rate} operations per second for {@code duration}, on every worker; latency counted from each operation's
     * due time. A phase that falls far behind is cut off at twice its duration plus ten seconds.
     */
    Phase openLoop(Operation op, double rate, Duration duration) throws InterruptedException {
        long intervalNanos = Math.max(1, (long) (1e9 / rate));
        long due = (long) (duration.toNanos() / (double) intervalNanos);
        List<Histogram> histograms = new ArrayList<>();
        AtomicLong next = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastFinish = new AtomicLong();
        CountDownLatch done = new CountDownLatch(workers.size());
        long start = System.nanoTime() + 1_000_000;
        long cutOff = start + 2 * duration.toNanos() + 10_000_000_000L;
        for (int w = 0; w < workers.size(); w++) {
            Worker worker = workers.get(w);
            Histogram histogram = new Histogram(HIGHEST_MICROS, 3);
            histograms.add(histogram);
            start(() -> {
                try {
                    for (long i = next.getAndIncrement(); i < due; i = next.getAndIncrement()) {
                        long dueAt = start + i * intervalNanos;
                        for (long wait = dueAt - System.nanoTime(); wait > 0; wait = dueAt - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        if (System.nanoTime() > cutOff) {
                            next.set(due);
                            return;
                        }
                        if (runOnce(op, worker)) {
                            long finished = System.nanoTime();
                            histogram.recordValue(Math.min(HIGHEST_MICROS, (finished - dueAt) / 1000));
                            completed.incrementAndGet();
                            lastFinish.accumulateAndGet(finished, Math::max);
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + w);
        }
        done.await();
        long finished = Math.max(lastFinish.get(), start + duration.toNanos());
        long notStarted = Math.max(0, due - completed.get() - errors.get());
        double seconds = (finished - start) / 1e9;
        return new Phase(completed.get() / seconds, completed.get(), errors.get(), notStarted, merge(histograms));
    }

    private boolean runOnce(Operation op, Worker worker) {
        try {
            op.run(worker);
            return true;
        } catch (Exception e) {
            firstError.compareAndSet(null, e.toString());
            return false;
        }
    }

    /** The first failure since the last call, if any. */
    String takeFirstError() {
        return firstError.getAndSet(null);
    }

    private static void start(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static Histogram merge(List<Histogram> histograms) {
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        histograms.forEach(all::add);
        return all;
    }

    void close() {
        workers.forEach(Worker::close);
    }
}
