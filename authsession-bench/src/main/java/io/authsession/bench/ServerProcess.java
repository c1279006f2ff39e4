package io.authsession.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The packaged server jar in a process of its own, as an operator runs it, with its resident memory sampled from
 * {@code /proc/<pid>/status} every 100 ms.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final AtomicLong maxRssKiB = new AtomicLong();
    private final Thread sampler;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.sampler = new Thread(this::sample, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    static ServerProcess start(Path jar, List<String> jvmArgs, Map<String, String> env, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build it first (./authsession-bench/run does)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AUTHSESSION_") || name.startsWith("OTEL_"));
        builder.environment().putAll(env);
        Files.createDirectories(log.getParent());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServerProcess(builder.start(), log);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the public listener answers a malformed send with its {@code 400}. */
    void awaitReady(int publicPort, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpConnection probe = new HttpConnection("127.0.0.1", publicPort, null)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited with status " + process.exitValue()
                            + " while starting:\n" + tail());
                }
                try {
                    if (probe.post("/api/v1/public/auth/send-email-code", "{").status() == 400) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the server did not answer within " + timeout + ":\n" + tail());
    }

    /** The resident set now, in KiB. */
    long rssKiB() {
        return status("VmRSS:");
    }

    /** The peak resident set of the process so far, in KiB. */
    long peakRssKiB() {
        return status("VmHWM:");
    }

    /** The largest resident set sampled since the last call, in KiB. */
    long takeMaxRssKiB() {
        return maxRssKiB.getAndSet(0);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops it as an orchestrator does ({@code SIGTERM}); the exit status, or -1 if it had to be killed. */
    int stop(Duration timeout) throws InterruptedException {
        sampler.interrupt();
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor();
        return -1;
    }

    private void sample() {
        while (!Thread.currentThread().isInterrupted() && process.isAlive()) {
            long rss = rssKiB();
            maxRssKiB.accumulateAndGet(rss, Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone, or this is not Linux
        }
        return 0;
    }

    @Override
    public void close() {
        sampler.interrupt();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
