package io.authsession.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ProcessRegistryTest {
    @TempDir
    Path cache;

    private static long deadPid() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor(10, TimeUnit.SECONDS);
        return finished.pid();
    }

    @Test
    void reapStale_keepsTheDirectoriesOfLiveOwners() {
        ProcessRegistry registry = new ProcessRegistry(cache);
        Path mine = registry.newWorkingDirectory();

        assertThat(registry.reapStale()).isZero();

        assertThat(mine).exists();
    }

    @Test
    void reapStale_removesTheDirectoryOfADeadOwner() throws Exception {
        ProcessRegistry registry = new ProcessRegistry(cache);
        Path stale = registry.processesDirectory().resolve("redis-stale");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve(ProcessRegistry.OWNER_FILE), "owner_pid=" + deadPid() + "\nowner_start=-\n");

        assertThat(registry.reapStale()).isEqualTo(1);

        assertThat(stale).doesNotExist();
    }

    @Test
    void reapStale_neverKillsAProcessWhosePidWasReused() throws Exception {
        ProcessRegistry registry = new ProcessRegistry(cache);
        Process bystander = new ProcessBuilder("sleep", "30").start();
        try {
            Path stale = registry.processesDirectory().resolve("redis-reused");
            Files.createDirectories(stale);
            Files.writeString(stale.resolve(ProcessRegistry.OWNER_FILE), "owner_pid=" + deadPid() + "\nowner_start=-\n");
            long longAgo = bystander.toHandle().info().startInstant().orElseThrow().toEpochMilli() - 3_600_000;
            Files.writeString(stale.resolve(ProcessRegistry.PROCESS_FILE),
                    "pid=" + bystander.pid() + "\nstart=" + longAgo + "\n");

            registry.reapStale();

            assertThat(bystander.isAlive()).as("a process that merely has the recorded pid").isTrue();
            assertThat(stale).doesNotExist();
        } finally {
            bystander.destroyForcibly();
        }
    }

    @Test
    void reapStale_givesAStartInProgressAMinute() throws Exception {
        ProcessRegistry registry = new ProcessRegistry(cache);
        Path young = registry.processesDirectory().resolve("redis-young");
        Path old = registry.processesDirectory().resolve("redis-old");
        Files.createDirectories(young);
        Files.createDirectories(old);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(120)));

        assertThat(registry.reapStale()).isEqualTo(1);

        assertThat(young).exists();
        assertThat(old).doesNotExist();
    }
}
