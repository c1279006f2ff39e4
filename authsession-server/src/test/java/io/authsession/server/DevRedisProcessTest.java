package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.embedded.RespClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded Redis of {@code --dev} as an operator sees it: announced, and gone with its server however it ends. */
@Timeout(120)
class DevRedisProcessTest {
    private static final Pattern STARTED = Pattern.compile("event=dev_redis_started address=127\\.0\\.0\\.1:(\\d+)"
            + " pid=(\\d+)");
    private static final Map<String, String> ENV = Map.of(
            "AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:0",
            "AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:0");

    private record DevRedisLine(int port, long pid) {}

    private static DevRedisLine devRedis(ServerProcess server) throws InterruptedException {
        Matcher matcher = STARTED.matcher(server.awaitLine("event=dev_redis_started", Duration.ofSeconds(60)));
        assertThat(matcher.find()).as("address and pid in the startup line").isTrue();
        return new DevRedisLine(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (alive(pid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** The launcher's working directories that record {@code pid} as their process. */
    private static List<Path> directoriesOf(long pid) throws IOException {
        Path processes = Path.of(System.getProperty("java.io.tmpdir"), "authsession-redis", "processes");
        if (!Files.isDirectory(processes)) {
            return List.of();
        }
        try (Stream<Path> directories = Files.list(processes)) {
            return directories.filter(directory -> {
                try {
                    return Files.readAllLines(directory.resolve("process")).contains("pid=" + pid);
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }

    @Test
    @DisplayName("--dev names its Redis (address and pid), which answers there and stops with a clean shutdown")
    void announcedAndStoppedWithTheServer() throws Exception {
        try (ServerProcess server = ServerProcess.fromClasspath(ENV, "--dev")) {
            DevRedisLine redis = devRedis(server);
            server.listenerPort("public");
            try (RespClient client = RespClient.connect("127.0.0.1", redis.port(), Duration.ofSeconds(5))) {
                assertThat(client.info("server")).containsEntry("process_id", Long.toString(redis.pid()));
            }
            assertThat(directoriesOf(redis.pid())).hasSize(1);

            server.signal("TERM");

            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            awaitGone(redis.pid());
            assertThat(alive(redis.pid())).as("dev redis after SIGTERM").isFalse();
            assertThat(directoriesOf(redis.pid())).as("its working directory").isEmpty();
        }
    }

    @Test
    @DisplayName("a --dev server killed with SIGKILL does not leave its Redis running")
    void goneWithAKilledServer() throws Exception {
        long redisPid = -1;
        try (ServerProcess server = ServerProcess.fromClasspath(ENV, "--dev")) {
            redisPid = devRedis(server).pid();
            server.listenerPort("public");

            server.signal("KILL");

            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(128 + 9);
            awaitGone(redisPid);
            assertThat(alive(redisPid)).as("dev redis after SIGKILL of its server").isFalse();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!directoriesOf(redisPid).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(directoriesOf(redisPid)).as("its working directory").isEmpty();
        } finally {
            if (redisPid > 0) {
                ProcessHandle.of(redisPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
