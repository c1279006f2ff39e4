package io.authsession.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RedisBinaryTest {
    private static final String LINUX_AMD64 = "redis-server-6.2.6-v5-linux-amd64";

    @Test
    void resourceFor_picksTheBinaryOfTheMachine() {
        assertThat(RedisBinary.resourceFor("Linux", "amd64")).isEqualTo(LINUX_AMD64);
        assertThat(RedisBinary.resourceFor("Linux", "aarch64")).isEqualTo("redis-server-6.2.7-linux-arm64");
        assertThat(RedisBinary.resourceFor("Mac OS X", "aarch64")).isEqualTo("redis-server-6.2.6-v5-darwin-arm64");
        assertThat(RedisBinary.resourceFor("Mac OS X", "x86_64")).isEqualTo("redis-server-6.2.6-v5-darwin-amd64");
        assertThat(RedisBinary.resourceFor("Windows 11", "amd64")).isEqualTo("redis-server-5.0.14.1-windows-amd64.exe");
        assertThatThrownBy(() -> RedisBinary.resourceFor("SunOS", "sparcv9"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("os=SunOS arch=sparcv9");
        assertThat(RedisBinary.class.getClassLoader()
                .getResource(RedisBinary.resourceFor(System.getProperty("os.name"), System.getProperty("os.arch"))))
                .as("this machine's binary is in the artifact").isNotNull();
    }

    @Test
    void extract_writesOneCopyNamedAfterItsContentAndReusesIt(@TempDir Path cache) throws Exception {
        Path binary = RedisBinary.extract(cache, LINUX_AMD64);

        byte[] content = Files.readAllBytes(binary);
        String hash = HexFormat.of().formatHex(RedisBinary.sha256(content));
        assertThat(binary).isEqualTo(cache.resolve("bin-" + hash.substring(0, 16)).resolve("redis-server"));
        assertThat(Files.isExecutable(binary)).isTrue();
        assertThat(content.length).isGreaterThan(1_000_000);

        Files.setLastModifiedTime(binary, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Path again = RedisBinary.extract(cache, LINUX_AMD64);

        assertThat(again).isEqualTo(binary);
        assertThat(Files.getLastModifiedTime(again).toInstant()).as("not written again")
                .isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        try (Stream<Path> files = Files.walk(cache)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(binary);
        }
    }

    @Test
    void extract_replacesATruncatedCopy(@TempDir Path cache) throws Exception {
        Path binary = RedisBinary.extract(cache, LINUX_AMD64);
        long size = Files.size(binary);
        Files.write(binary, new byte[] {1, 2, 3});

        Path again = RedisBinary.extract(cache, LINUX_AMD64);

        assertThat(again).isEqualTo(binary);
        assertThat(Files.size(again)).isEqualTo(size);
    }

    @Test
    void everyStartRunsTheOneCachedBinary() {
        Path cached = Launcher.shared().binary();
        assertThat(cached.getParent().getParent())
                .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "authsession-redis"));
        try (EmbeddedRedis first = EmbeddedRedis.start(); EmbeddedRedis second = EmbeddedRedis.start()) {
            assertThat(ProcessHandle.of(first.pid()).orElseThrow().info().command()).contains(cached.toString());
            assertThat(ProcessHandle.of(second.pid()).orElseThrow().info().command()).contains(cached.toString());
        }
        try (Stream<Path> copies = Stream.of(cached.getParent().toFile().listFiles()).map(java.io.File::toPath)) {
            assertThat(copies).as("no partial copies beside the binary").containsExactly(cached);
        }
    }
}
