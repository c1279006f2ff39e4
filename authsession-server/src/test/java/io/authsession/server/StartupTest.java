package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StartupTest {

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    @DisplayName("without Redis, startup fails at the challenge store check and leaves no listener open")
    void noRedis() throws Exception {
        int publicPort = freePort();
        int internalPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("AUTHSESSION_REDIS_ADDR", "127.0.0.1:" + freePort());
        env.put("AUTHSESSION_STARTUP_CHECK_TIMEOUT", "1s");
        env.put("AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:" + publicPort);
        env.put("AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:" + internalPort);
        long started = System.nanoTime();
        assertThatThrownBy(() -> AuthSessionServer.start(ServerConfig.fromEnvironment(env, false), env))
                .isInstanceOfSatisfying(StartupException.class,
                        e -> assertThat(e.component()).isEqualTo("challenge_store"));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000);
        for (int port : new int[] {publicPort, internalPort}) {
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    @DisplayName("an internal address already in use fails startup and closes the public listener it opened")
    void portTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
                TestServer redisOnly = new TestServer()) {
            int publicPort = freePort();
            Map<String, String> env = redisOnly.environment();
            env.put("AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:" + publicPort);
            env.put("AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:" + taken.getLocalPort());
            assertThatThrownBy(() -> AuthSessionServer.start(ServerConfig.fromEnvironment(env, false), env))
                    .isInstanceOfSatisfying(StartupException.class,
                            e -> assertThat(e.component()).isEqualTo("internal_listener"));
            assertThatThrownBy(() -> new Socket("127.0.0.1", publicPort).close()).isInstanceOf(ConnectException.class);
        }
    }
}
