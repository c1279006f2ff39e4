package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The shutdown gate over a real socket: drain in-flight requests, refuse new ones in the envelope. */
class HttpListenerTest {

    @Test
    @DisplayName("while draining, a new request gets 503 with no-store and Connection: close; the one in flight completes")
    void drain() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Router router = new Router().add("GET", "/slow", (exchange, params) -> {
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            Responses.json(exchange, 200, "{\"done\":true}");
        });
        HttpListener listener = HttpListener.start("test", new ListenAddress("127.0.0.1", 0),
                new ApiHandler("test", router, Optional.empty()));
        URI slow = URI.create("http://127.0.0.1:" + listener.address().getPort() + "/slow");
        HttpClient http = HttpClient.newHttpClient();

        CompletableFuture<HttpResponse<String>> inFlight =
                http.sendAsync(HttpRequest.newBuilder(slow).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> listener.stop(Duration.ofSeconds(10)));
        Thread.sleep(200);

        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(slow).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"code\":\"service_unavailable\"");
        assertThat(refused.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(refused.headers().firstValue("Connection")).contains("close");
        assertThat(stopping).isNotDone();

        release.countDown();
        assertThat(inFlight.get(5, TimeUnit.SECONDS).body()).isEqualTo("{\"done\":true}");
        stopping.get(10, TimeUnit.SECONDS);
    }
}
