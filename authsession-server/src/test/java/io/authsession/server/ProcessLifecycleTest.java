package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.authsession.testkit.RedisTestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** CONTRACT §8 with real processes: exit statuses, signals, and the shutdown sequence with a request in flight. */
class ProcessLifecycleTest {
    private final FakeServices services = new FakeServices();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopServices() {
        services.close();
    }

    private Map<String, String> environment() {
        Map<String, String> env = TestServer.environment(RedisTestServer.shared(), services,
                "proc-" + UUID.randomUUID() + ":");
        // Long enough for a held request to outlast the shutdown budget.
        env.put("AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT", "20s");
        env.remove("AUTHSESSION_SHUTDOWN_TIMEOUT");
        return env;
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(int port) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/public/auth/send-email-code"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"inflight@example.com\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("an invalid configuration exits 2 with one line naming the variable, before anything starts")
    void invalidConfiguration() throws Exception {
        Map<String, String> env = environment();
        env.put("AUTHSESSION_CHALLENGE_TTL", "ten minutes");
        try (ServerProcess server = ServerProcess.fromClasspath(env)) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(server.stderr()).containsExactly("authsession: invalid configuration: AUTHSESSION_CHALLENGE_TTL:"
                    + " 'ten minutes' is not a duration (examples: 500ms, 30s, 10m, 1h, 1m30s)");
            assertThat(server.stdout()).noneMatch(line -> line.contains("listener started"));
        }
    }

    @Test
    @DisplayName("an unknown argument exits 2 with the usage")
    void unknownArgument() throws Exception {
        try (ServerProcess server = ServerProcess.fromClasspath(environment(), "--prod")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(server.stderr()).containsExactly("usage: java -jar authsession-server.jar [--dev | --version | admin <command>]");
        }
    }

    @Test
    @DisplayName("without Redis the process exits 1 naming the failed check, and never opens a listener")
    void startupFailure() throws Exception {
        Map<String, String> env = environment();
        try (ServerSocket unused = new ServerSocket(0)) {
            env.put("AUTHSESSION_REDIS_ADDR", "127.0.0.1:" + unused.getLocalPort());
        }
        env.put("AUTHSESSION_STARTUP_CHECK_TIMEOUT", "1s");
        try (ServerProcess server = ServerProcess.fromClasspath(env)) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(server.stdout()).anyMatch(line ->
                    line.contains("event=startup_check_failed component=challenge_store"));
            assertThat(server.stdout()).noneMatch(line -> line.contains("listener started"));
        }
    }

    @Test
    @DisplayName("SIGTERM: the request in flight completes, both listeners stop, resources close, exit 0")
    void sigtermWithRequestInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        services.holdNextResolve(release);
        try (ServerProcess server = ServerProcess.fromClasspath(environment())) {
            int port = server.listenerPort("public");
            server.listenerPort("internal");
            CompletableFuture<HttpResponse<String>> inFlight = sendAsync(port);
            assertThat(services.awaitResolve(Duration.ofSeconds(10))).isTrue();

            server.signal("TERM");
            server.awaitLine("event=shutdown_started", Duration.ofSeconds(10));
            awaitRefused(port);
            // The listener refuses connections now, and the request in flight is still held, not cut.
            assertThat(inFlight).isNotDone();
            release.countDown();

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("challenge_id");
            assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
            List<String> out = server.stdout();
            int publicStopped = indexOf(out, "public HTTP listener stopped");
            int internalStopped = indexOf(out, "internal HTTP listener stopped");
            int redisClosed = indexOf(out, "event=component_closed component=redis");
            int clientsClosed = indexOf(out, "event=component_closed component=http_clients");
            int complete = indexOf(out, "event=shutdown_complete");
            assertThat(publicStopped).isLessThan(redisClosed);
            assertThat(internalStopped).isLessThan(redisClosed);
            assertThat(clientsClosed).isLessThan(complete);
            assertThat(redisClosed).isLessThan(complete);
        }
    }

    @Test
    @DisplayName("SIGINT shuts down like SIGTERM and exits 0")
    void sigint() throws Exception {
        assumeFalse(ServerProcess.interruptIgnored(), "SIGINT is ignored by whoever started this build (a background"
                + " job of a non-interactive shell), so no process it starts can be interrupted");
        try (ServerProcess server = ServerProcess.fromClasspath(environment())) {
            server.listenerPort("internal");
            server.signal("INT");
            assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(server.stdout()).anyMatch(line -> line.contains("internal HTTP listener stopped"));
        }
    }

    @Test
    @DisplayName("a request that never finishes cannot hold the exit beyond the shutdown budget")
    void hungRequest() throws Exception {
        services.holdNextResolve(new CountDownLatch(1));
        Map<String, String> env = environment();
        env.put("AUTHSESSION_SHUTDOWN_TIMEOUT", "1s");
        try (ServerProcess server = ServerProcess.fromClasspath(env)) {
            int port = server.listenerPort("public");
            server.listenerPort("internal");
            sendAsync(port);
            assertThat(services.awaitResolve(Duration.ofSeconds(10))).isTrue();
            long signalled = System.nanoTime();
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(12));
            assertThat(server.stdout()).anyMatch(line ->
                    line.contains("event=listener_drain_timeout listener=public in_flight=1"));
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in:\n" + String.join("\n", lines));
    }

    /** Polls until a new connection to the port is refused: the draining listener stopped accepting. */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            } catch (java.io.IOException refused) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("port " + port + " still accepts connections 10 s after SIGTERM");
    }
}
