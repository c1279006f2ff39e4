package io.authsession.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the processes of one JVM share: the cache directory with the binary and the registry, the watchdog, and the
 * shutdown hook that stops whatever is still running when the JVM exits.
 */
final class Launcher {
    /** The cache directory's name under {@code java.io.tmpdir}. */
    static final String CACHE_DIRECTORY = "authsession-redis";
    private static Launcher shared;

    private final Path cacheRoot;
    private final ProcessRegistry registry;
    private final Set<EmbeddedRedis> running = ConcurrentHashMap.newKeySet();
    private Path binary;
    private Optional<Watchdog> watchdog;
    private boolean hookInstalled;

    Launcher(Path cacheRoot) {
        this.cacheRoot = cacheRoot;
        this.registry = new ProcessRegistry(cacheRoot);
    }

    static synchronized Launcher shared() {
        if (shared == null) {
            shared = new Launcher(Path.of(System.getProperty("java.io.tmpdir"), CACHE_DIRECTORY));
        }
        return shared;
    }

    Path cacheRoot() {
        return cacheRoot;
    }

    ProcessRegistry registry() {
        return registry;
    }

    synchronized Path binary() {
        if (binary == null) {
            createCacheRoot();
            binary = RedisBinary.extract(cacheRoot,
                    RedisBinary.resourceFor(System.getProperty("os.name"), System.getProperty("os.arch")));
        }
        return binary;
    }

    synchronized Optional<Watchdog> watchdog() {
        if (watchdog == null) {
            watchdog = Watchdog.start(registry.processesDirectory());
        }
        return watchdog;
    }

    synchronized void started(EmbeddedRedis redis) {
        running.add(redis);
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "embedded-redis-stop"));
            hookInstalled = true;
        }
    }

    void closed(EmbeddedRedis redis) {
        running.remove(redis);
    }

    /** Stops every process still open: all are asked to end first, so they shut down in parallel. */
    void stopAll() {
        List<EmbeddedRedis> open = new ArrayList<>(running);
        open.forEach(EmbeddedRedis::beginStop);
        open.forEach(EmbeddedRedis::close);
    }

    private void createCacheRoot() {
        try {
            if (!Files.isDirectory(cacheRoot)) {
                try {
                    Files.createDirectories(cacheRoot,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(cacheRoot);
                }
            }
            // A directory another user made could hold a binary of theirs: never run what we did not write.
            UserPrincipal owner = Files.getOwner(cacheRoot);
            String user = System.getProperty("user.name");
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (posix && user != null && !owner.getName().equals(user)) {
                throw new IllegalStateException(cacheRoot + " belongs to " + owner.getName() + ", not " + user
                        + ": remove it or point java.io.tmpdir elsewhere");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the cache directory " + cacheRoot, e);
        }
    }
}
