package io.authsession.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The working directories of the processes started from this cache, each naming the JVM that owns it.
 *
 * <p>A directory holds {@value #OWNER_FILE} ({@code owner_pid=}, {@code owner_start=}), written before the process
 * starts, and {@value #PROCESS_FILE} ({@code pid=}, {@code start=}) once it runs. A directory whose owner is gone is
 * stale: {@link #reapStale()} kills its process (when that pid is still the same process) and removes it. Start
 * instants are compared as well as pids, so a reused pid is never taken for the original process.
 */
final class ProcessRegistry {
    static final String OWNER_FILE = "owner";
    static final String PROCESS_FILE = "process";
    private static final System.Logger LOG = System.getLogger(ProcessRegistry.class.getName());
    /** Start instants come from clock ticks and boot time; two readings of one process agree to well within this. */
    private static final long START_TOLERANCE_MILLIS = 1_000;
    /** A directory without an owner file is a start in progress for this long, then debris. */
    private static final Duration UNOWNED_GRACE = Duration.ofMinutes(1);

    private final Path processes;

    ProcessRegistry(Path cacheRoot) {
        this.processes = cacheRoot.resolve("processes");
    }

    Path processesDirectory() {
        return processes;
    }

    /** A new, empty working directory owned by this JVM. */
    Path newWorkingDirectory() {
        try {
            Files.createDirectories(processes);
            Path directory = Files.createTempDirectory(processes, "redis-");
            ProcessHandle self = ProcessHandle.current();
            writeAtomically(directory.resolve(OWNER_FILE), "owner_pid=" + self.pid() + "\nowner_start="
                    + startMillis(self).map(String::valueOf).orElse("-") + "\n");
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a working directory under " + processes, e);
        }
    }

    /** Notes which process runs in {@code directory}, for the reaper of a later JVM. */
    void recordProcess(Path directory, ProcessHandle process) {
        try {
            writeAtomically(directory.resolve(PROCESS_FILE), "pid=" + process.pid() + "\nstart="
                    + startMillis(process).map(String::valueOf).orElse("-") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not record the process of " + directory, e);
        }
    }

    /**
     * Stops the processes whose owning JVM is gone and removes their directories.
     *
     * @return how many stale directories were removed
     */
    int reapStale() {
        if (!Files.isDirectory(processes)) {
            return 0;
        }
        int reaped = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(processes)) {
            for (Path directory : entries) {
                if (Files.isDirectory(directory) && reapIfStale(directory)) {
                    reaped++;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, () -> "event=embedded_redis_reap_failed directory=" + processes + " error=\""
                    + e.getMessage() + "\"");
        }
        return reaped;
    }

    private boolean reapIfStale(Path directory) {
        Map<String, String> owner = readProperties(directory.resolve(OWNER_FILE));
        if (owner.isEmpty()) {
            if (!olderThan(directory, UNOWNED_GRACE)) {
                return false;
            }
        } else if (isAlive(owner.get("owner_pid"), owner.get("owner_start"))) {
            return false;
        }
        Map<String, String> process = readProperties(directory.resolve(PROCESS_FILE));
        Optional<ProcessHandle> orphan = sameProcess(process.get("pid"), process.get("start"));
        orphan.ifPresent(handle -> {
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // reported below: the directory goes anyway, the process was sent SIGKILL
            }
            LOG.log(Level.INFO, () -> "event=embedded_redis_reaped pid=" + handle.pid() + " owner_pid="
                    + owner.getOrDefault("owner_pid", "-") + " alive_after_kill=" + handle.isAlive());
        });
        deleteTree(directory);
        return true;
    }

    private static boolean isAlive(String pid, String start) {
        return sameProcess(pid, start).isPresent();
    }

    /** The live process with that pid, unless it started at another instant (the pid was reused). */
    static Optional<ProcessHandle> sameProcess(String pid, String start) {
        if (pid == null) {
            return Optional.empty();
        }
        long id;
        try {
            id = Long.parseLong(pid);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(id).filter(ProcessHandle::isAlive).filter(handle -> {
            if (start == null || start.equals("-")) {
                return true;
            }
            Optional<Long> actual = startMillis(handle);
            try {
                return actual.isEmpty() || Math.abs(actual.get() - Long.parseLong(start)) <= START_TOLERANCE_MILLIS;
            } catch (NumberFormatException e) {
                return true;
            }
        });
    }

    private static Optional<Long> startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli);
    }

    private static boolean olderThan(Path directory, Duration age) {
        try {
            return Files.getLastModifiedTime(directory).toInstant().isBefore(Instant.now().minus(age));
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, String> readProperties(Path file) {
        Map<String, String> properties = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    properties.put(line.substring(0, equals), line.substring(equals + 1).strip());
                }
            }
        } catch (IOException e) {
            // absent or half-removed: treated as empty
        }
        return properties;
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        try {
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes a directory and everything in it; what is already gone is not an error. */
    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // a concurrent reaper or a process still writing; the next reap retries
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.WARNING, () -> "event=embedded_redis_cleanup_failed directory=" + root + " error=\""
                    + e.getMessage() + "\"");
        }
    }
}
