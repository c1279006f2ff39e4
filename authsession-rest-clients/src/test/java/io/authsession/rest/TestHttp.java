package io.authsession.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;

/** Scripted answers and request counting for the adapter tests. */
final class TestHttp {
    private TestHttp() {}

    static MockWebServer startedServer() {
        MockWebServer server = new MockWebServer();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    /** The server's URL with the path, for example {@code /users-svc/}, as a builder takes it. */
    static URI baseUrl(MockWebServer server, String path) {
        return URI.create("http://" + server.getHostName() + ":" + server.getPort() + path);
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse status(int status) {
        return new MockResponse.Builder().code(status).build();
    }

    /** The server reads the request, then closes the connection without answering. */
    static MockResponse dropped() {
        return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
    }

    /** The server accepts the connection and closes it before reading anything. */
    static MockResponse droppedAtConnect() {
        return new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    }

    /** A good answer whose headers come far later than any request timeout of the tests. */
    static MockResponse slow(String body) {
        return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body)
                .headersDelay(10, TimeUnit.SECONDS).build();
    }

    /**
     * A good answer whose headers come at once and whose body comes one byte every 100ms: no single read waits
     * long, only the whole call does.
     */
    static MockResponse trickled(String body) {
        return new MockResponse.Builder().setHeader("Content-Type", "application/json")
                .body(new TrickleBody(body)).build();
    }

    /** A port nothing listens on. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes exactly {@code count} requests, failing when fewer came or one more comes soon after. */
    static List<RecordedRequest> takeExactly(MockWebServer server, int count) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(request).as("request %d of %d", i, count).isNotNull();
            requests.add(request);
        }
        assertThat(server.takeRequest(200, TimeUnit.MILLISECONDS)).as("a request beyond the expected %d", count)
                .isNull();
        return requests;
    }

    static String bodyOf(RecordedRequest request) {
        return request.getBody() == null ? "" : request.getBody().utf8();
    }

    private static final class TrickleBody implements MockResponseBody {
        private final byte[] bytes;

        TrickleBody(String text) {
            this.bytes = text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public long getContentLength() {
            return bytes.length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            for (byte b : bytes) {
                sink.writeByte(b);
                sink.flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
        }
    }
}
