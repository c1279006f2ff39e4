package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.testkit.RedisTestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged jar, as operators run it, under abuse: slow bodies, floods of connections, a file-descriptor limit,
 * clients that abort or send broken requests, and {@code SIGTERM} under load. Real Redis (the shared test server),
 * user and mail services played by {@link FakeServices}; loopback only; every wait bounded. Runs after
 * {@code package} (failsafe).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpHardeningIT {
    private static final Path JAR = Path.of("target", "authsession-server.jar");
    private static final String SEND = "/api/v1/public/auth/send-email-code";
    private static final Pattern LINE_START = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*");

    private final FakeServices services = new FakeServices();
    private final List<RawHttp> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (RawHttp socket : sockets) {
            socket.close();
        }
        services.close();
    }

    private Map<String, String> environment() {
        return TestServer.environment(RedisTestServer.shared(), services, "it-" + UUID.randomUUID() + ":");
    }

    private RawHttp connect(int port, Duration timeout) throws IOException {
        RawHttp socket = RawHttp.connect(port, timeout);
        sockets.add(socket);
        return socket;
    }

    private static String errorCode(RawHttp.Response response) {
        return com.google.gson.JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("error")
                .get("code").getAsString();
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(20);
        return true;
    }

    /** What every run must leave in its output: no ERROR, no internal_error, no multi-line stack trace. */
    private static void assertQuietOutput(ServerProcess server) {
        assertThat(server.stdout()).noneMatch(line -> line.contains(" ERROR ") || line.contains("event=internal_error"))
                .allMatch(line -> LINE_START.matcher(line).matches());
        assertThat(server.stderr()).isEmpty();
    }

    @Test
    @DisplayName("40 bodies trickling at 1 byte / 2 s do not delay a normal send, and get 408 at the read deadline")
    void slowBodies() throws Exception {
        try (ServerProcess server = ServerProcess.fromJar(JAR, environment())) {
            int port = server.listenerPort("public");
            server.listenerPort("internal");
            List<RawHttp> slow = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                slow.add(connect(port, Duration.ofSeconds(20)).send("POST " + SEND + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Length: 40\r\n\r\n{"));
            }
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                trickle.scheduleAtFixedRate(() -> slow.forEach(socket -> {
                    try {
                        socket.send(" ");
                    } catch (IOException e) {
                        // answered and closed
                    }
                }), 2, 2, TimeUnit.SECONDS);
                RawHttp.Response normal = connect(port, Duration.ofSeconds(20))
                        .exchange(RawHttp.request("POST", SEND, "{\"email\":\"normal@example.com\"}"));
                assertThat(normal.status()).isEqualTo(200);
                assertThat(normal.body()).contains("challenge_id");
                for (RawHttp socket : slow) {
                    assertThat(socket.hasAnswer()).as("a slow body answered before the normal send").isFalse();
                }
                for (RawHttp socket : slow) {
                    RawHttp.Response timedOut = socket.read();
                    assertThat(timedOut.status()).isEqualTo(408);
                    assertThat(errorCode(timedOut)).isEqualTo("request_timeout");
                }
            } finally {
                trickle.shutdownNow();
            }
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertQuietOutput(server);
        }
    }

    @Test
    @DisplayName("with ulimit -n 512 the cap is lowered to fit; 600 connections are refused fast beyond it, the"
            + " internal listener keeps answering, and accepting resumes at once when they close")
    void connectionFloodUnderFileLimit() throws Exception {
        Map<String, String> env = environment();
        env.put("AUTHSESSION_HTTP_MAX_CONNECTIONS", "10000");
        try (ServerProcess server = ServerProcess.fromJarWithOpenFileLimit(JAR, 512, env)) {
            int publicPort = server.listenerPort("public");
            int internalPort = server.listenerPort("internal");
            Matcher lowered = Pattern.compile("event=http_max_connections_lowered .* using=(\\d+) max_open_files=512")
                    .matcher(server.awaitLine("event=http_max_connections_lowered", Duration.ofSeconds(5)));
            assertThat(lowered.find()).isTrue();
            int cap = Integer.parseInt(lowered.group(1));
            assertThat(cap).isEqualTo((512 - HttpLimits.RESERVED_FILE_DESCRIPTORS) / 2);

            List<RawHttp> flood = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                flood.add(connect(publicPort, Duration.ofSeconds(10)));
            }
            // `cap` of them are kept; every other one is answered 503 and closed at once.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<RawHttp> answered;
            do {
                answered = new ArrayList<>();
                for (RawHttp socket : flood) {
                    if (socket.hasAnswer()) {
                        answered.add(socket);
                    }
                }
            } while (answered.size() < 600 - cap && System.nanoTime() < deadline && sleep());
            assertThat(answered).hasSize(600 - cap);
            for (RawHttp socket : answered) {
                RawHttp.Response response = socket.read();
                assertThat(response.status()).isEqualTo(503);
                assertThat(errorCode(response)).isEqualTo("service_unavailable");
            }
            List<RawHttp> kept = new ArrayList<>(flood);
            kept.removeAll(answered);
            assertThat(connect(internalPort, Duration.ofSeconds(10))
                    .exchange(RawHttp.request("GET", "/api/v1/internal/users/nobody/sessions", null)).status())
                    .isEqualTo(200);
            assertThat(kept.get(0).exchange(RawHttp.request("POST", SEND, "{\"email\":\"x\"}")).status())
                    .isEqualTo(400);

            long closed = System.nanoTime();
            for (RawHttp socket : flood) {
                socket.close();
            }
            int attempts = 0;
            RawHttp.Response after;
            do {
                // The server counts a connection out when it sees it close; until then the cap still holds.
                attempts++;
                after = connect(publicPort, Duration.ofSeconds(10))
                        .exchange(RawHttp.request("POST", SEND, "{\"email\":\"x\"}"));
            } while (after.status() == 503 && System.nanoTime() - closed < TimeUnit.SECONDS.toNanos(5));
            assertThat(after.status()).isEqualTo(400);
            System.out.printf("accepting again %d ms after the flood closed (%d attempts)%n",
                    (System.nanoTime() - closed) / 1_000_000, attempts);
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.stdout()).noneMatch(line -> line.contains("XNIO008001") || line.contains("Too many open files"));
            assertQuietOutput(server);
        }
    }

    @Test
    @DisplayName("client aborts, ';' and raw non-ASCII paths, bad escapes and broken framing are client errors:"
            + " answered in the envelope where possible, logged as INFO lines, never an ERROR or a stack trace")
    void clientErrors() throws Exception {
        try (ServerProcess server = ServerProcess.fromJar(JAR, environment())) {
            int publicPort = server.listenerPort("public");
            int internalPort = server.listenerPort("internal");
            for (int i = 0; i < 20; i++) {
                try (RawHttp socket = RawHttp.connect(publicPort)) {
                    socket.send("POST " + SEND + " HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n{\"email\":");
                }
            }
            RawHttp.Response semicolon = connect(internalPort, Duration.ofSeconds(10))
                    .exchange(RawHttp.request("POST", "/api/v1/internal/users/u1;u2/sessions/revoke-all", ""));
            assertThat(semicolon.body()).isEqualTo("{\"user_id\":\"u1;u2\",\"revoked_count\":0}");
            RawHttp.Response nonAscii = connect(internalPort, Duration.ofSeconds(10)).send(
                    "GET /api/v1/internal/users/\u00c3\u00a9/sessions HTTP/1.1\r\nHost: h\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1)).read();
            assertThat(nonAscii.status()).isEqualTo(400);
            assertThat(errorCode(nonAscii)).isEqualTo("invalid_request");
            RawHttp.Response badEscape = connect(internalPort, Duration.ofSeconds(10))
                    .exchange(RawHttp.request("GET", "/api/v1/internal/users/u1/sessions?status=%zz", null));
            assertThat(badEscape.status()).isEqualTo(400);
            assertThat(errorCode(badEscape)).isEqualTo("invalid_request");
            RawHttp.Response badLine = connect(publicPort, Duration.ofSeconds(10)).exchange("GARBAGE\r\n\r\n");
            assertThat(errorCode(badLine)).isEqualTo("invalid_request");
            RawHttp overflow = connect(publicPort, Duration.ofSeconds(10)).send("POST " + SEND + " HTTP/1.1\r\nHost: h\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nab\r\n0\r\n\r\n");
            assertThat(overflow.closedByServer()).isTrue();
            RawHttp big = connect(publicPort, Duration.ofSeconds(10)).send("POST " + SEND + " HTTP/1.1\r\nHost: h\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            Thread writer = new Thread(() -> {
                byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    for (int i = 0; i < 192; i++) {
                        big.send(chunk);
                    }
                } catch (IOException e) {
                    // answered and closed: the server does not read 3 MiB it refuses
                }
            });
            writer.start();
            assertThat(big.read().status()).isEqualTo(413);
            writer.join(10_000);

            server.awaitLine("outcome=malformed_body", Duration.ofSeconds(10));
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.stdout()).filteredOn(line -> line.contains("outcome=client_closed")).hasSize(20)
                    .allMatch(line -> line.contains(" INFO "));
            assertQuietOutput(server);
        }
    }

    @Test
    @DisplayName("SIGTERM under load: no connection is reset, every answer during the drain closes its connection,"
            + " the listener refuses new connections while the request in flight finishes, exit 0")
    void sigtermUnderLoad() throws Exception {
        Map<String, String> env = environment();
        env.put("AUTHSESSION_SHUTDOWN_TIMEOUT", "20s");
        env.put("AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT", "30s");
        CountDownLatch release = new CountDownLatch(1);
        services.holdNextResolve(release);
        try (ServerProcess server = ServerProcess.fromJar(JAR, env)) {
            int publicPort = server.listenerPort("public");
            int internalPort = server.listenerPort("internal");
            RawHttp held = connect(publicPort, Duration.ofSeconds(30))
                    .send(RawHttp.request("POST", SEND, "{\"email\":\"held@example.com\"}"));
            assertThat(services.awaitResolve(Duration.ofSeconds(10))).isTrue();

            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicInteger answers = new AtomicInteger();
            AtomicInteger refusedAtEnd = new AtomicInteger();
            CountDownLatch warm = new CountDownLatch(4);
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int port = i % 2 == 0 ? internalPort : publicPort;
                String request = i % 2 == 0
                        ? RawHttp.request("GET", "/api/v1/internal/users/load" + i + "/sessions", null)
                        : RawHttp.request("POST", SEND, "{\"email\":\"not-an-address\"}");
                Thread client = new Thread(() -> hammer(port, request, warm, answers, refusedAtEnd, failures),
                        "load-" + i);
                client.start();
                clients.add(client);
            }
            assertThat(warm.await(20, TimeUnit.SECONDS)).isTrue();
            server.signal("TERM");
            server.awaitLine("event=shutdown_started", Duration.ofSeconds(10));
            for (Thread client : clients) {
                client.join(30_000);
            }
            assertThat(failures).isEmpty();
            assertThat(refusedAtEnd).hasValue(4);

            release.countDown();
            RawHttp.Response inFlight = held.read();
            assertThat(inFlight.status()).isEqualTo(200);
            assertThat(inFlight.closesConnection()).isTrue();
            assertThat(server.awaitExit(Duration.ofSeconds(40))).isZero();
            assertThat(server.stdout()).anyMatch(line -> line.contains("public HTTP listener stopped"))
                    .anyMatch(line -> line.contains("internal HTTP listener stopped"));
            assertQuietOutput(server);
            System.out.printf("%d answers under load, no reset%n", answers.get());
        }
    }

    /**
     * One client of the load: kept-alive requests one after the other; a connection is left only when an answer
     * says {@code Connection: close}. Ends when a new connection is refused (the listener stopped accepting), which
     * is the expected end. Anything else going wrong on a live connection (a reset, an end without an answer, an
     * answer that does not close while the listener drains) is a failure.
     */
    private void hammer(int port, String request, CountDownLatch warm, AtomicInteger answers,
            AtomicInteger refusedAtEnd, List<String> failures) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int mine = 0;
        RawHttp socket = null;
        try {
            while (System.nanoTime() < deadline) {
                if (socket == null) {
                    try {
                        socket = RawHttp.connect(port, Duration.ofSeconds(20));
                    } catch (ConnectException e) {
                        refusedAtEnd.incrementAndGet();
                        return;
                    }
                }
                RawHttp.Response response;
                try {
                    response = socket.exchange(request);
                } catch (IOException e) {
                    failures.add(Thread.currentThread().getName() + " after " + mine + " answers: " + e);
                    return;
                }
                answers.incrementAndGet();
                if (++mine == 20) {
                    warm.countDown();
                }
                if (response.status() == 503 && !response.closesConnection()) {
                    failures.add("a 503 that keeps the connection: " + response);
                }
                if (response.closesConnection()) {
                    socket.close();
                    socket = null;
                }
            }
            failures.add(Thread.currentThread().getName() + " still answered at the deadline");
        } catch (IOException e) {
            failures.add(Thread.currentThread().getName() + ": " + e);
        } finally {
            if (mine < 20) {
                warm.countDown();
            }
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }
}
