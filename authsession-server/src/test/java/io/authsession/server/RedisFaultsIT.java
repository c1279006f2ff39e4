package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.embedded.EmbeddedRedis;
import io.authsession.testkit.RedisTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged jar on a Redis of the test's own that hangs ({@code SIGSTOP}/{@code SIGCONT}) and restarts, as an
 * operator runs it (issue 8: bounded Redis waits, no false 500, no 503 after a clean restart). Loopback only; every
 * request has a timeout. Runs after {@code package} (failsafe).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisFaultsIT {
    private static final Path JAR = Path.of("target", "authsession-server.jar");
    private static final String SEND = "/api/v1/public/auth/send-email-code";
    /** The socket timeout, the pool wait and a second for the rest: no answer may take longer. */
    private static final Duration BOUND = Duration.ofMillis(1000 + 500 + 1000);

    private final EmbeddedRedis redis = EmbeddedRedis.start();
    private final FakeServices services = new FakeServices();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        services.close();
        redis.close();
    }

    private Map<String, String> environment() {
        Map<String, String> env = TestServer.environment(RedisTestServer.shared(), services,
                "faults-" + UUID.randomUUID() + ":");
        env.put("AUTHSESSION_REDIS_ADDR", redis.address());
        env.put("AUTHSESSION_REDIS_CONNECT_TIMEOUT", "1s");
        env.put("AUTHSESSION_REDIS_SOCKET_TIMEOUT", "1s");
        env.put("AUTHSESSION_REDIS_POOL_MAX_WAIT", "500ms");
        return env;
    }

    private CompletableFuture<HttpResponse<String>> send(int port, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        request = body == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String email(int i) {
        return "{\"email\":\"fault" + i + "@example.com\"}";
    }

    private static void assertQuiet(ServerProcess server) {
        assertThat(server.stdout())
                .noneMatch(line -> line.contains(" ERROR ") || line.contains("event=internal_error"));
        assertThat(server.stderr()).isEmpty();
    }

    @Test
    @DisplayName("Redis hung (SIGSTOP): 20 requests at once all answer 503 within the socket timeout and pool wait,"
            + " none 500, none hangs; after SIGCONT the first requests succeed")
    void hungRedis() throws Exception {
        try (ServerProcess server = ServerProcess.fromJar(JAR, environment())) {
            int publicPort = server.listenerPort("public");
            int internalPort = server.listenerPort("internal");
            assertThat(send(publicPort, SEND, email(0)).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

            redis.pause();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            List<Long> started = new ArrayList<>();
            try {
                for (int i = 1; i <= 10; i++) {
                    started.add(System.nanoTime());
                    answers.add(send(publicPort, SEND, email(i)));
                    started.add(System.nanoTime());
                    answers.add(send(internalPort, "/api/v1/internal/users/u" + i + "/sessions", null));
                }
                for (int i = 0; i < answers.size(); i++) {
                    HttpResponse<String> answer = answers.get(i).get(30, TimeUnit.SECONDS);
                    Duration took = Duration.ofNanos(System.nanoTime() - started.get(i));
                    assertThat(answer.statusCode()).as("answer %d while Redis hangs", i).isEqualTo(503);
                    assertThat(answer.body()).contains("service_unavailable");
                    assertThat(took).as("answer %d", i).isLessThan(BOUND);
                }
            } finally {
                redis.resume();
            }
            assertThat(send(publicPort, SEND, email(100)).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(send(internalPort, "/api/v1/internal/users/u1/sessions", null).get(30, TimeUnit.SECONDS)
                    .statusCode()).isEqualTo(200);
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.stdout()).anyMatch(line -> line.contains("event=dependency_unavailable")
                    && line.contains("dependency=redis"));
            assertQuiet(server);
        }
    }

    @Test
    @DisplayName("Redis restarted cleanly: the very first request after it succeeds, and so does every one after")
    void restartedRedis() throws Exception {
        try (ServerProcess server = ServerProcess.fromJar(JAR, environment())) {
            int publicPort = server.listenerPort("public");
            int internalPort = server.listenerPort("internal");
            // Several requests at once leave several idle connections in the pool, all broken by the restart.
            List<CompletableFuture<HttpResponse<String>>> warm = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                warm.add(send(publicPort, SEND, email(i)));
            }
            for (CompletableFuture<HttpResponse<String>> answer : warm) {
                assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }

            redis.restart();
            assertThat(send(publicPort, SEND, email(100)).get(30, TimeUnit.SECONDS).statusCode())
                    .as("the first request after the restart").isEqualTo(200);
            for (int i = 101; i < 106; i++) {
                assertThat(send(publicPort, SEND, email(i)).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                assertThat(send(internalPort, "/api/v1/internal/users/u" + i + "/sessions", null)
                        .get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.stdout()).noneMatch(line -> line.contains("status=503"));
            assertQuiet(server);
        }
    }
}
