package io.authsession.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The {@code redis-server} binary of the {@code embedded-redis} artifact for this machine, extracted once to a path
 * named after its content.
 *
 * <p>Content addressing lets every JVM of every build reuse one copy (instead of leaving a 9 MB copy per run) and
 * makes a new artifact version land beside the old one rather than overwrite a binary another JVM is running.
 */
final class RedisBinary {
    private static final int HASH_PREFIX_HEX = 16;

    private RedisBinary() {}

    /** The resource of the {@code embedded-redis} jar that runs on {@code osName}/{@code osArch}. */
    static String resourceFor(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux")) {
            if (amd64) {
                return "redis-server-6.2.6-v5-linux-amd64";
            }
            if (arm64) {
                return "redis-server-6.2.7-linux-arm64";
            }
            if (arch.equals("x86") || arch.equals("i386") || arch.equals("i686")) {
                return "redis-server-6.2.7-linux-386";
            }
        } else if (os.contains("mac") || os.contains("darwin")) {
            if (amd64) {
                return "redis-server-6.2.6-v5-darwin-amd64";
            }
            if (arm64) {
                return "redis-server-6.2.6-v5-darwin-arm64";
            }
        } else if (os.contains("windows") && amd64) {
            return "redis-server-5.0.14.1-windows-amd64.exe";
        }
        throw new IllegalStateException("the embedded-redis artifact has no redis-server for os=" + osName
                + " arch=" + osArch);
    }

    /**
     * Extracts {@code resource} under {@code cacheRoot} unless an earlier run did, and returns the executable.
     * The copy is written to a temporary name and moved into place atomically, so a concurrent JVM either sees no
     * file or a complete one.
     */
    static Path extract(Path cacheRoot, String resource) {
        byte[] content = read(resource);
        String hash = HexFormat.of().formatHex(sha256(content)).substring(0, HASH_PREFIX_HEX);
        Path directory = cacheRoot.resolve("bin-" + hash);
        Path binary = directory.resolve(resource.endsWith(".exe") ? "redis-server.exe" : "redis-server");
        try {
            if (Files.isRegularFile(binary) && Files.size(binary) == content.length && Files.isExecutable(binary)) {
                return binary;
            }
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, "redis-server-", ".partial");
            try {
                Files.write(partial, content);
                makeExecutable(partial);
                try {
                    Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + resource + " to " + binary, e);
        }
    }

    private static void makeExecutable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            if (!file.toFile().setExecutable(true)) {
                throw new IOException("could not make " + file + " executable", e);
            }
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: is the embedded-redis artifact"
                        + " (com.github.codemonstur:embedded-redis) there?");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
    }

    static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
