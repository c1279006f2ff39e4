package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.ConfirmedLogin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Testcontainers is an optional dependency of the testkit, and this module's tests run without it on the class path
 * (surefire's {@code classpathDependencyExcludes}): what a downstream build that only wants the fakes gets.
 */
class WithoutTestcontainersTest {
    @Test
    @DisplayName("Testcontainers is really absent from this test class path")
    void absent() {
        assertThatThrownBy(() -> Class.forName("org.testcontainers.DockerClientFactory"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    @DisplayName("the fakes log a user in without Testcontainers")
    void fakesWork() {
        AuthSessionFixture fixture = AuthSessionFixture.create();
        ConfirmedLogin login = fixture.login("user@example.com");
        assertThat(fixture.auth().findSession(login.deviceSessionId())).isPresent();
    }

    @Test
    @DisplayName("where Docker looks configured, RedisTestServer still falls back to the embedded redis-server")
    void redisWithoutTestcontainers(@TempDir Path home) throws Exception {
        // A .testcontainers.properties in the home directory makes Docker look configured, so a RedisTestServer
        // that linked to Testcontainers unconditionally would fail here with NoClassDefFoundError.
        Files.writeString(home.resolve(".testcontainers.properties"), "");
        String realHome = System.getProperty("user.home");
        RedisTestServer redis;
        System.setProperty("user.home", home.toString());
        try {
            redis = RedisTestServer.shared();
        } finally {
            System.setProperty("user.home", realHome);
        }
        assertThat(redis.source()).isIn(RedisTestServer.Source.ENVIRONMENT, RedisTestServer.Source.EMBEDDED);
        // and it is a real Redis
        Optional<String> credentials = redis.userInfo();
        try (Socket socket = new Socket(redis.host(), redis.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            if (credentials.isPresent()) {
                String[] parts = credentials.get().split(":", 2);
                out.write(command(parts.length == 2 ? new String[] {"AUTH", parts[0], parts[1]}
                        : new String[] {"AUTH", parts[0]}));
                assertThat(readLine(socket.getInputStream())).isEqualTo("+OK");
            }
            out.write(command("PING"));
            assertThat(readLine(socket.getInputStream())).isEqualTo("+PONG");
        }
    }

    /** A command in RESP, the Redis protocol: the testkit has no Redis client of its own. */
    private static byte[] command(String... words) {
        StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            resp.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
