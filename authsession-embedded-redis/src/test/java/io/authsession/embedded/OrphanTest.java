package io.authsession.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A JVM killed with SIGKILL gets no shutdown hook: its redis-server must not run on forever. */
@Timeout(90)
class OrphanTest {
    private static final Pattern STARTED = Pattern.compile("started pid=(\\d+) directory=(.+)$");

    private record Orphan(Process jvm, long redisPid, Path directory) {}

    private static Orphan startOrphan(String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrphanMain.class.getName()));
        command.addAll(List.of(arguments));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher matcher = STARTED.matcher(line);
            if (matcher.find()) {
                return new Orphan(jvm, Long.parseLong(matcher.group(1)), Path.of(matcher.group(2)));
            }
        }
        jvm.destroyForcibly();
        throw new AssertionError("the child JVM ended without starting redis:\n" + seen);
    }

    private static void sigkill(Process jvm) throws InterruptedException {
        jvm.destroyForcibly();
        assertThat(jvm.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(jvm.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    private static Optional<ProcessHandle> alive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    private static void awaitGone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static void awaitRemoved(Path directory) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (directory.toFile().exists() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    @DisplayName("the watchdog kills the redis-server of a JVM killed with SIGKILL and removes its directory")
    void watchdogEndsTheOrphan() throws Exception {
        Orphan orphan = startOrphan();
        try {
            assertThat(alive(orphan.redisPid())).isPresent();

            sigkill(orphan.jvm());

            awaitGone(orphan.redisPid(), Duration.ofSeconds(10));
            assertThat(alive(orphan.redisPid())).as("redis-server of the killed JVM").isEmpty();
            awaitRemoved(orphan.directory());
            assertThat(orphan.directory()).doesNotExist();
        } finally {
            orphan.jvm().destroyForcibly();
            alive(orphan.redisPid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @DisplayName("a JVM that exits without closing its redis-server stops it in its shutdown hook")
    void shutdownHookEndsWhatWasLeftOpen() throws Exception {
        Orphan orphan = startOrphan("--exit");
        try {
            assertThat(orphan.jvm().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(orphan.jvm().exitValue()).isZero();

            assertThat(alive(orphan.redisPid())).as("stopped before the JVM ended").isEmpty();
            assertThat(orphan.directory()).doesNotExist();
        } finally {
            orphan.jvm().destroyForcibly();
            alive(orphan.redisPid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @DisplayName("a process its owner meant to close is still killed by the watchdog when the JVM ends without closing it")
    void watchdogEndsWhatTheOwnerDidNotClose() throws Exception {
        Orphan orphan = startOrphan("--closed-by-owner", "--exit");
        try {
            assertThat(orphan.jvm().waitFor(30, TimeUnit.SECONDS)).isTrue();

            awaitGone(orphan.redisPid(), Duration.ofSeconds(10));
            assertThat(alive(orphan.redisPid())).as("redis-server of the ended JVM").isEmpty();
            awaitRemoved(orphan.directory());
            assertThat(orphan.directory()).doesNotExist();
        } finally {
            orphan.jvm().destroyForcibly();
            alive(orphan.redisPid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @DisplayName("without a watchdog, the next start anywhere finds the orphan, stops it and removes its directory")
    void nextStartReapsTheOrphan() throws Exception {
        Orphan orphan = startOrphan("--without-watchdog");
        try {
            sigkill(orphan.jvm());
            assertThat(alive(orphan.redisPid())).as("nothing else stopped it").isPresent();

            try (EmbeddedRedis next = EmbeddedRedis.start()) {
                assertThat(alive(orphan.redisPid())).as("reaped before the next start").isEmpty();
                assertThat(orphan.directory()).doesNotExist();
                assertThat(next.isRunning()).isTrue();
            }
        } finally {
            orphan.jvm().destroyForcibly();
            alive(orphan.redisPid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
