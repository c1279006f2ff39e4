package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One listener over real sockets, with small routes of its own: the bounds (connections, read deadlines, workers),
 * the answers to broken requests, and the drain. Requests are written byte by byte with {@link RawHttp}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpListenerTest {
    private final List<HttpListener> listeners = new ArrayList<>();
    private final List<RawHttp> sockets = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger holding = new AtomicInteger();

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        for (RawHttp socket : sockets) {
            socket.close();
        }
        listeners.forEach(listener -> listener.stop(Duration.ofSeconds(2)));
    }

    /** {@code GET /hold} waits on a worker until the test releases it; the others answer at once. */
    private Router router() {
        return new Router()
                .add("GET", "/hold", request -> exchange -> {
                    holding.incrementAndGet();
                    release.await(30, TimeUnit.SECONDS);
                    Responses.json(exchange, 200, "{\"done\":true}");
                })
                .add("POST", "/echo", request -> {
                    JsonObject body = request.requiredObject();
                    return exchange -> Responses.json(exchange, 200, body.toString());
                })
                .add("GET", "/users/{user_id}", request -> exchange -> {
                    JsonObject answer = new JsonObject();
                    answer.addProperty("user_id", request.param(0));
                    Responses.json(exchange, 200, answer.toString());
                })
                .add("GET", "/users/{user_id}/sessions", request -> exchange -> Responses.json(exchange, 200, "[]"))
                .add("GET", "/sessions/{device_session_id}", request -> exchange -> Responses.json(exchange, 200, "{}"));
    }

    private int start(HttpLimits limits) {
        return start(limits, Optional.empty());
    }

    private int start(HttpLimits limits, Optional<String> token) {
        HttpListener listener = HttpListener.start("test", new ListenAddress("127.0.0.1", 0), limits,
                new ApiHandler("test", router(), token, id -> "fp" + Integer.toHexString(id.hashCode()),
                        limits.readTimeout()));
        listeners.add(listener);
        return listener.address().getPort();
    }

    private RawHttp connect(int port) throws IOException {
        RawHttp socket = RawHttp.connect(port);
        sockets.add(socket);
        return socket;
    }

    private static String get(String target, String... headers) {
        return RawHttp.request("GET", target, null, headers);
    }

    private static String post(String target, String body, String... headers) {
        return RawHttp.request("POST", target, body, headers);
    }

    private static String errorCode(RawHttp.Response response) {
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("error").get("code")
                .getAsString();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    @DisplayName("draining: the listener refuses new connections at once, every answer closes its connection"
            + " (the one in flight too, and a kept-alive client's next request gets 503), then it stops")
    void drain() throws Exception {
        int port = start(HttpLimits.DEFAULTS);
        RawHttp kept = connect(port);
        assertThat(kept.exchange(get("/users/a")).closesConnection()).isFalse();
        RawHttp inFlight = connect(port).send(get("/hold"));
        await(() -> holding.get() == 1, "the held request reached its worker");

        HttpListener listener = listeners.get(0);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> listener.stop(Duration.ofSeconds(10)));
        await(() -> {
            try (RawHttp probe = RawHttp.connect(port)) {
                return false;
            } catch (ConnectException e) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, "new connections are refused");

        // The gate closes just after the listening socket: until then a kept-alive request is still served as usual.
        RawHttp.Response refused = kept.exchange(get("/users/a"));
        for (int i = 0; i < 100 && !refused.closesConnection(); i++) {
            refused = kept.exchange(get("/users/a"));
        }
        // A request that passed the gate an instant before it closed is served, with Connection: close; one after is
        // refused with 503. Either way its answer closes the connection.
        assertThat(refused.status()).isIn(200, 503);
        if (refused.status() == 503) {
            assertThat(errorCode(refused)).isEqualTo("service_unavailable");
            assertThat(refused.header("Cache-Control")).contains("no-store");
        }
        assertThat(refused.closesConnection()).isTrue();
        assertThat(kept.closedByServer()).isTrue();
        assertThat(stopping).isNotDone();

        release.countDown();
        RawHttp.Response done = inFlight.read();
        assertThat(done.body()).isEqualTo("{\"done\":true}");
        assertThat(done.closesConnection()).isTrue();
        assertThat(inFlight.closedByServer()).isTrue();
        stopping.get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("40 bodies trickling in at 1 byte every 2 s hold no worker: a normal request is answered while they"
            + " trickle, and each of them gets 408 request_timeout at the read deadline")
    void slowBodies() throws Exception {
        int port = start(HttpLimits.DEFAULTS.withWorkerThreads(2).withReadTimeout(Duration.ofSeconds(3)));
        List<RawHttp> slow = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            slow.add(connect(port).send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20\r\n\r\n{"));
        }
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            trickle.scheduleAtFixedRate(() -> slow.forEach(socket -> {
                try {
                    socket.send(" ");
                } catch (IOException e) {
                    // answered and closed already
                }
            }), 2, 2, TimeUnit.SECONDS);

            RawHttp.Response normal = connect(port).exchange(post("/echo", "{\"a\":1}"));
            assertThat(normal.status()).isEqualTo(200);
            assertThat(normal.body()).isEqualTo("{\"a\":1}");
            for (RawHttp socket : slow) {
                assertThat(socket.hasAnswer()).as("a slow request answered before the normal one").isFalse();
            }
            for (RawHttp socket : slow) {
                RawHttp.Response timedOut = socket.read();
                assertThat(timedOut.status()).isEqualTo(408);
                assertThat(errorCode(timedOut)).isEqualTo("request_timeout");
                assertThat(timedOut.closesConnection()).isTrue();
            }
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    @DisplayName("beyond the connection cap a new connection is answered 503 and closed at once, the open ones keep"
            + " working, and a freed place is taken again")
    void connectionCap() throws Exception {
        int port = start(HttpLimits.DEFAULTS.withMaxConnections(5));
        List<RawHttp> open = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RawHttp socket = connect(port);
            assertThat(socket.exchange(get("/users/u" + i)).status()).isEqualTo(200);
            open.add(socket);
        }
        assertThat(listeners.get(0).openConnections()).isEqualTo(5);

        RawHttp extra = connect(port);
        RawHttp.Response refused = extra.read();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(errorCode(refused)).isEqualTo("service_unavailable");
        assertThat(extra.closedByServer()).isTrue();
        assertThat(open.get(0).exchange(get("/users/again")).status()).isEqualTo(200);

        open.get(0).close();
        await(() -> listeners.get(0).openConnections() == 4, "the closed connection is counted out");
        assertThat(connect(port).exchange(get("/users/new")).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("while every worker hangs, a request that needs none (400, 404, 405, 413, 401) is answered at once")
    void noWorkerNeeded() throws Exception {
        String auth = "Authorization: Bearer secret";
        int port = start(HttpLimits.DEFAULTS.withWorkerThreads(2), Optional.of("secret"));
        List<RawHttp> hung = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hung.add(connect(port).send(get("/hold", auth)));
        }
        await(() -> holding.get() == 2, "both workers hang");

        RawHttp.Response malformed = connect(port).exchange(post("/echo", "not json", auth));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(errorCode(malformed)).isEqualTo("invalid_request");
        assertThat(connect(port).exchange(get("/nothing", auth)).status()).isEqualTo(404);
        RawHttp.Response wrongMethod = connect(port).exchange(post("/hold", "{}", auth));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).contains("GET");
        assertThat(connect(port).exchange(post("/echo", "x".repeat(20_000), auth)).status()).isEqualTo(413);
        assertThat(connect(port).exchange(get("/users/a")).status()).isEqualTo(401);

        for (RawHttp socket : hung) {
            assertThat(socket.hasAnswer()).isFalse();
        }
        release.countDown();
        for (RawHttp socket : hung) {
            assertThat(socket.read().status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not a request line                 | GARBAGE\\r\\n\\r\\n                                                                     | 400
            bad escape in the query            | GET /users/a/sessions?status=%zz HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                    | 400
            bad escape in the path             | GET /users/a%zz HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                     | 400
            incomplete escape                  | GET /users/a% HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                       | 400
            escape that is not UTF-8           | GET /users/%FF HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                      | 400
            raw non-ASCII bytes in the path    | GET /users/\u00c3\u00a9 HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                             | 400
            a control byte in the path         | GET /users/a\u0001b HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                 | 400
            an encoded control character       | GET /users/a%00b HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                    | 400
            a quote in the path                | GET /users/a"b HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                      | 400
            no Host                            | GET /users/a HTTP/1.1\\r\\n\\r\\n                                                     | 400
            two Hosts                          | GET /users/a HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n                           | 400
            a Host with a bad port             | GET /users/a HTTP/1.1\\r\\nHost: h:99999\\r\\n\\r\\n                                  | 400
            a space in a header name           | GET /users/a HTTP/1.1\\r\\nHost: h\\r\\nBad Name: x\\r\\n\\r\\n                       | 400
            Content-Length and chunked         | POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400
            two different Content-Lengths      | POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 2\\r\\nContent-Length: 3\\r\\n\\r\\n{}x | 400
            a Content-Length that is no number | POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: two\\r\\n\\r\\n{}                 | 400
            a negative Content-Length          | POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: -1\\r\\n\\r\\n                   | 400
            a Content-Length past long         | POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 99999999999999999999999\\r\\n\\r\\n | 400
            a transfer coding other than chunked | POST /echo HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n{}           | 400
            chunked twice                      | POST /echo HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked, chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400
            chunked in HTTP/1.0                | POST /echo HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n            | 400
            a declared body over 16 KiB        | POST /echo HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 99999\\r\\n\\r\\n{}              | 413
            """)
    @DisplayName("a request the server cannot take is answered in the error envelope, whoever refuses it")
    void brokenRequests(String name, String request, int status) throws Exception {
        int port = start(HttpLimits.DEFAULTS);
        try (LogCapture logs = new LogCapture()) {
            RawHttp socket = connect(port);
            // ISO-8859-1: one byte per character, so that the raw bytes of the table go out as written.
            RawHttp.Response response = socket.send(request.replace("\\r\\n", "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1)).read();
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("Content-Type")).contains("application/json");
            assertThat(response.header("Cache-Control")).contains("no-store");
            assertThat(errorCode(response)).isEqualTo(status == 413 ? "request_too_large" : "invalid_request");
            assertThat(response.body()).doesNotContain("Exception", "UT0");
            assertThat(logs.alarming()).isEmpty();
        }
    }

    @Test
    @DisplayName("a request head over 16 KiB is 400 invalid_request in the envelope")
    void headTooLarge() throws Exception {
        int port = start(HttpLimits.DEFAULTS);
        RawHttp.Response response = connect(port).exchange(get("/users/a", "X-Pad: " + "p".repeat(17 * 1024)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo("invalid_request");
    }

    @Test
    @DisplayName("a ';' in a path segment is part of the parameter (never a cut), and makes a literal segment unknown")
    void semicolons() throws Exception {
        int port = start(HttpLimits.DEFAULTS);
        RawHttp socket = connect(port);
        assertThat(socket.exchange(get("/users/u1;u2")).body()).isEqualTo("{\"user_id\":\"u1;u2\"}");
        assertThat(socket.exchange(get("/users/u1%3Bu2")).body()).isEqualTo("{\"user_id\":\"u1;u2\"}");
        assertThat(socket.exchange(get("/users/u1;x=1/sessions")).status()).isEqualTo(200);
        assertThat(socket.exchange(get("/users/u1/sessions;x")).status()).isEqualTo(404);
        assertThat(socket.exchange(get("/users/" + "a".repeat(129))).status()).isEqualTo(400);
        assertThat(socket.exchange(get("http://localhost/users/u1;u2")).body()).isEqualTo("{\"user_id\":\"u1;u2\"}");
    }

    @Test
    @DisplayName("a chunk size that overflows closes the connection with no answer possible, logged as one INFO line")
    void chunkSizeOverflow() throws Exception {
        int port = start(HttpLimits.DEFAULTS);
        try (LogCapture logs = new LogCapture()) {
            RawHttp socket = connect(port).send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "FFFFFFFFFFFFFFFFFFFF\r\nab\r\n0\r\n\r\n");
            assertThat(socket.closedByServer()).isTrue();
            await(() -> logs.lines().stream().anyMatch(line -> line.contains("outcome=malformed_body")),
                    "the access line");
            assertThat(logs.alarming()).isEmpty();
        }
    }

    @Test
    @DisplayName("a chunked body over the limit is 413 after 16 KiB, without reading the rest, and without alarm")
    void chunkedBodyTooLarge() throws Exception {
        int port = start(HttpLimits.DEFAULTS);
        try (LogCapture logs = new LogCapture()) {
            RawHttp socket = connect(port).send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
            Thread writer = new Thread(() -> {
                byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    for (int i = 0; i < 192; i++) {
                        socket.send(chunk);
                    }
                } catch (IOException e) {
                    // the server answered and closed: it does not read 3 MiB it will refuse
                }
            });
            writer.start();
            RawHttp.Response response = socket.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(errorCode(response)).isEqualTo("request_too_large");
            assertThat(response.closesConnection()).isTrue();
            writer.join(10_000);
            assertThat(logs.alarming()).isEmpty();
        }
    }

    @Test
    @DisplayName("a client that closes in the middle of its body is a client error: one INFO line, no ERROR, no trace")
    void clientAbort() throws Exception {
        int port = start(HttpLimits.DEFAULTS);
        try (LogCapture logs = new LogCapture()) {
            for (int i = 0; i < 10; i++) {
                try (RawHttp socket = RawHttp.connect(port)) {
                    socket.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n{\"email\":");
                }
            }
            await(() -> logs.lines().stream().filter(line -> line.contains("outcome=client_closed")).count() == 10,
                    "ten access lines");
            assertThat(logs.alarming()).isEmpty();
        }
    }

    @Test
    @DisplayName("the access line names the route template and a fingerprint of the session id, never the id")
    void accessLog() throws Exception {
        int port = start(HttpLimits.DEFAULTS);
        try (LogCapture logs = new LogCapture()) {
            String id = "B_nR2lHFr10TazBJcPAAowfvTw";
            assertThat(connect(port).exchange(get("/sessions/" + id)).status()).isEqualTo(200);
            String fingerprint = "fp" + Integer.toHexString(id.hashCode());
            await(() -> logs.lines().stream().anyMatch(line -> line.contains("event=http_request")), "the line");
            assertThat(logs.lines()).filteredOn(line -> line.contains("event=http_request")).singleElement()
                    .asString()
                    .contains("route=/sessions/{device_session_id}", "session_fingerprint=" + fingerprint, "status=200")
                    .doesNotContain(id);
        }
    }

    @Test
    @DisplayName("limits that make no sense are refused")
    void limitsValidate() {
        assertThatThrownBy(() -> HttpLimits.DEFAULTS.withMaxConnections(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(HttpLimits.DEFAULTS.withMaxConnections(1000).fitTo(java.util.OptionalLong.of(1024), 2)
                .maxConnections()).isEqualTo(384);
        assertThat(HttpLimits.DEFAULTS.withMaxConnections(1000).fitTo(java.util.OptionalLong.of(100_000), 2)
                .maxConnections()).isEqualTo(1000);
    }
}
