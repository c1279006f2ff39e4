package io.authsession.server;

import static io.authsession.server.TestServer.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The user service hangs (a loopback server that accepts and never answers): every public worker ends up waiting on
 * it, and a request that needs no dependency must still be answered at once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HungDependencyTest {

    /** Accepts connections and never answers; closing it ends them all. */
    static final class HungServer implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        HungServer() throws IOException {
            server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "hung-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/";
        }

        int accepted() {
            return accepted.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    @DisplayName("while every public worker waits on a hung user service, 400, 404, 405 and 413 are answered at once"
            + " and the internal listener keeps serving")
    void noDependencyRequestsStayFast() throws Exception {
        try (HungServer hung = new HungServer();
                TestServer t = new TestServer(Map.of(
                        "AUTHSESSION_USER_SERVICE_BASE_URL", hung.baseUrl(),
                        "AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT", "30s",
                        "AUTHSESSION_STARTUP_CHECK_TIMEOUT", "1s"))) {
            // The startup reachability check connected once already.
            int before = hung.accepted();
            String send = "/api/v1/public/auth/send-email-code";
            List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
            int requests = HttpLimits.DEFAULT_WORKER_THREADS + 4;
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            for (int i = 0; i < requests; i++) {
                stuck.add(client.sendAsync(HttpRequest.newBuilder(t.publicUrl(send))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"hung" + i + "@example.com\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // One hung connection per worker: every worker of the public listener is now waiting.
            while (hung.accepted() - before < HttpLimits.DEFAULT_WORKER_THREADS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(hung.accepted() - before).isEqualTo(HttpLimits.DEFAULT_WORKER_THREADS);

            HttpResponse<String> malformed = t.post(t.publicUrl(send), "{\"email\":\"not-an-address\"}");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(errorCode(malformed)).isEqualTo("invalid_request");
            assertThat(t.post(t.publicUrl(send), "not json").statusCode()).isEqualTo(400);
            assertThat(t.post(t.publicUrl("/api/v1/public/auth/confirm-email-code"),
                    "{\"challenge_id\":\"c\",\"code\":\"12\"}").statusCode()).isEqualTo(400);
            assertThat(t.get(t.publicUrl("/api/v1/public/nothing")).statusCode()).isEqualTo(404);
            assertThat(t.get(t.publicUrl(send)).statusCode()).isEqualTo(405);
            assertThat(t.post(t.publicUrl(send), "{\"pad\":\"" + "x".repeat(17_000) + "\"}").statusCode())
                    .isEqualTo(413);
            assertThat(t.get(t.internalUrl("/api/v1/internal/users/nobody/sessions")).statusCode()).isEqualTo(200);
            // All of that came back before any of the requests waiting on the user service.
            assertThat(stuck).noneMatch(CompletableFuture::isDone);

            hung.close();
            for (CompletableFuture<HttpResponse<String>> response : stuck) {
                assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
            }
        }
    }
}
