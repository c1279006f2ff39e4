package io.authsession.rest;

import static io.authsession.rest.TestHttp.bodyOf;
import static io.authsession.rest.TestHttp.json;
import static io.authsession.rest.TestHttp.takeExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.EnsuredUser;
import io.authsession.core.port.UserDirectory;
import io.authsession.core.port.UserLookup;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OkHttpUserDirectoryTest {
    private static final EmailAddress EMAIL = EmailAddress.parse("ada@example.com");
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(750);
    private static final String CREATABLE = "{\"status\":\"creatable\"}";
    private static final String ENSURED = "{\"user_id\":\"u1\",\"blocked\":false}";
    private static final String BLOCKED = "{\"user_id\":\"u1\",\"blocked\":true}";

    private MockWebServer server;
    private RestClients rest;
    private UserDirectory directory;

    @BeforeEach
    void start() {
        server = TestHttp.startedServer();
        useTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        rest.close();
        server.close();
    }

    /** Rebuilds the adapter with another request timeout; a short one only where a test waits for it. */
    private void useTimeout(Duration timeout) {
        useClients(TestHttp.baseUrl(server, "/users-svc/"), timeout, Duration.ofMillis(10));
    }

    private void useClients(URI baseUrl, Duration timeout, Duration retryPause) {
        if (rest != null) {
            rest.close();
        }
        rest = RestClients.builder()
                .userServiceBaseUrl(baseUrl)
                .userServiceRequestTimeout(timeout)
                .retryPause(retryPause)
                .build();
        directory = rest.userDirectory().orElseThrow();
    }

    private static void assertUnavailable(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DependencyUnavailableException.class,
                e -> assertThat(e.dependency()).isEqualTo("user_service"));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Nested
    @DisplayName("requests")
    class Requests {
        @Test
        @DisplayName("resolve POSTs the normalised address as JSON under the base URL's path")
        void resolveShape() throws Exception {
            server.enqueue(json(200, CREATABLE));
            directory.resolveByEmail(EmailAddress.parse("  Ada@Example.COM "));

            RecordedRequest request = takeExactly(server, 1).get(0);
            assertThat(request.getMethod()).isEqualTo("POST");
            assertThat(request.getTarget()).isEqualTo("/users-svc/api/v1/users/resolve-by-email");
            assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
            assertThat(JsonParser.parseString(bodyOf(request)))
                    .isEqualTo(JsonParser.parseString("{\"email\":\"ada@example.com\"}"));
        }

        @Test
        @DisplayName("ensure POSTs the address as JSON to ensure-by-email")
        void ensureShape() throws Exception {
            server.enqueue(json(200, ENSURED));
            directory.ensureByEmail(EMAIL);

            RecordedRequest request = takeExactly(server, 1).get(0);
            assertThat(request.getMethod()).isEqualTo("POST");
            assertThat(request.getTarget()).isEqualTo("/users-svc/api/v1/users/ensure-by-email");
            assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
            assertThat(JsonParser.parseString(bodyOf(request)))
                    .isEqualTo(JsonParser.parseString("{\"email\":\"ada@example.com\"}"));
        }

        @Test
        @DisplayName("block POSTs the reason, with the user id as one URL-encoded path segment")
        void blockShape() throws Exception {
            server.enqueue(json(200, BLOCKED));
            directory.block("team/a b?", "fraud <&>");

            RecordedRequest request = takeExactly(server, 1).get(0);
            assertThat(request.getMethod()).isEqualTo("POST");
            assertThat(request.getTarget()).isEqualTo("/users-svc/api/v1/users/team%2Fa%20b%3F/block");
            assertThat(request.getUrl().pathSegments()).containsExactly("users-svc", "api", "v1", "users",
                    "team/a b?", "block");
            assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
            assertThat(bodyOf(request)).isEqualTo("{\"reason\":\"fraud <&>\"}");
        }

        @ParameterizedTest(name = "base path \"{0}\" → {1}")
        @CsvSource({
            "'', /api/v1/users/resolve-by-email",
            "/, /api/v1/users/resolve-by-email",
            "/users-svc, /users-svc/api/v1/users/resolve-by-email",
            "/users-svc/, /users-svc/api/v1/users/resolve-by-email",
            "/team/users-svc/, /team/users-svc/api/v1/users/resolve-by-email",
        })
        @DisplayName("the base URL may have a path prefix, with or without a trailing slash")
        void basePath(String basePath, String expectedTarget) throws Exception {
            useClients(TestHttp.baseUrl(server, basePath), Duration.ofSeconds(5), Duration.ofMillis(10));
            server.enqueue(json(200, CREATABLE));
            directory.resolveByEmail(EMAIL);

            assertThat(takeExactly(server, 1).get(0).getTarget()).isEqualTo(expectedTarget);
        }

        @ParameterizedTest(name = "user id \"{0}\"")
        @ValueSource(strings = {".", ".."})
        @DisplayName("a user id that URL normalisation would remove is user_not_found, and nothing is sent")
        void dotIds(String userId) throws Exception {
            server.enqueue(json(200, BLOCKED));
            assertThatThrownBy(() -> directory.block(userId, "fraud"))
                    .isInstanceOfSatisfying(AuthSessionException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.USER_NOT_FOUND));
            takeExactly(server, 0);
        }
    }

    @Nested
    @DisplayName("answers")
    class Answers {
        static Stream<Arguments> resolveAnswers() {
            return Stream.of(
                    Arguments.of("{\"status\":\"existing\",\"user_id\":\"u1\"}", UserLookup.existing("u1")),
                    Arguments.of("{\"status\":\"creatable\"}", UserLookup.creatable()),
                    Arguments.of("{\"status\":\"blocked\",\"user_id\":\"u1\"}", UserLookup.blocked("u1")),
                    Arguments.of("{\"status\":\"existing\",\"user_id\":\"u1\",\"since\":\"2020\"}",
                            UserLookup.existing("u1")),
                    Arguments.of("{\"status\":\"creatable\",\"user_id\":null}", UserLookup.creatable()));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("resolveAnswers")
        @DisplayName("resolve answers map to the lookup; unknown fields are ignored")
        void resolveAnswer(String body, UserLookup expected) {
            server.enqueue(json(200, body));
            assertThat(directory.resolveByEmail(EMAIL)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "{\"status\":\"deleted\",\"user_id\":\"u1\"}",
            "{\"status\":\"EXISTING\",\"user_id\":\"u1\"}",
            "{\"status\":\"existing\"}",
            "{\"status\":\"existing\",\"user_id\":\"\"}",
            "{\"status\":\"existing\",\"user_id\":42}",
            "{\"status\":\"blocked\"}",
            "{\"status\":null}",
            "{\"status\":7}",
            "{\"user_id\":\"u1\"}",
            "{status: \"creatable\"}",
            "{\"status\":\"creatable\"} {}",
            "[{\"status\":\"creatable\"}]",
            "\"creatable\"",
            "<html>Bad gateway</html>",
            "",
        })
        @DisplayName("an unknown, incomplete or unparsable resolve answer is unavailable and is not retried")
        void badResolveAnswer(String body) throws Exception {
            server.enqueue(json(200, body));
            server.enqueue(json(200, CREATABLE));
            assertUnavailable(() -> directory.resolveByEmail(EMAIL));
            takeExactly(server, 1);
        }

        @Test
        @DisplayName("an answer larger than 64 KiB is unavailable, even when it is valid JSON")
        void hugeAnswer() {
            server.enqueue(json(200, CREATABLE + " ".repeat(70 * 1024)));
            assertUnavailable(() -> directory.resolveByEmail(EMAIL));
        }

        @Test
        @DisplayName("ensure answers carry the user id and whether it is blocked")
        void ensureAnswer() {
            server.enqueue(json(200, "{\"user_id\":\"u7\",\"blocked\":true,\"created\":false}"));
            assertThat(directory.ensureByEmail(EMAIL)).isEqualTo(new EnsuredUser("u7", true));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "{\"user_id\":\"u1\"}",
            "{\"user_id\":\"u1\",\"blocked\":\"false\"}",
            "{\"user_id\":\"u1\",\"blocked\":null}",
            "{\"blocked\":false}",
            "{\"user_id\":\"\",\"blocked\":false}",
            "{\"user_id\":1,\"blocked\":false}",
            "not json",
        })
        @DisplayName("an ensure answer without a non-empty user_id and a boolean blocked is unavailable")
        void badEnsureAnswer(String body) throws Exception {
            server.enqueue(json(200, body));
            assertUnavailable(() -> directory.ensureByEmail(EMAIL));
            takeExactly(server, 1);
        }

        @Test
        @DisplayName("block answered 404 is user_not_found")
        void blockUnknown() throws Exception {
            server.enqueue(json(404, "{\"error\":\"no such user\"}"));
            assertThatThrownBy(() -> directory.block("u404", "fraud"))
                    .isInstanceOfSatisfying(AuthSessionException.class, e -> {
                        assertThat(e).isNotInstanceOf(DependencyUnavailableException.class);
                        assertThat(e.code()).isEqualTo(ErrorCode.USER_NOT_FOUND);
                    });
            takeExactly(server, 1);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{\"user_id\":\"u1\",\"blocked\":false}", "{\"user_id\":\"u1\"}", "blocked"})
        @DisplayName("a block answer that does not say blocked: true is unavailable: the user could still log in")
        void blockNotRecorded(String body) {
            server.enqueue(json(200, body));
            assertUnavailable(() -> directory.block("u1", "fraud"));
        }

        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {400, 401, 403, 404, 409, 429, 500, 501})
        @DisplayName("resolve answered with another non-2xx status is unavailable and is not retried")
        void otherStatuses(int status) throws Exception {
            server.enqueue(json(status, "{}"));
            server.enqueue(json(200, CREATABLE));
            assertThatThrownBy(() -> directory.resolveByEmail(EMAIL))
                    .isInstanceOf(DependencyUnavailableException.class)
                    .hasMessage("user_service: resolve-by-email answered HTTP " + status);
            takeExactly(server, 1);
        }

        @Test
        @DisplayName("a redirect is not followed: it is an unexpected status")
        void redirect() throws Exception {
            server.enqueue(new MockResponse.Builder().code(307).setHeader("Location", "/elsewhere").build());
            server.enqueue(json(200, CREATABLE));
            assertUnavailable(() -> directory.resolveByEmail(EMAIL));
            takeExactly(server, 1);
        }
    }

    @Nested
    @DisplayName("reads are retried once")
    class ReadRetries {
        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {502, 503, 504})
        @DisplayName("after a 502, 503 or 504, and the second answer is used")
        void transientStatusThenSuccess(int status) throws Exception {
            server.enqueue(json(status, "{}"));
            server.enqueue(json(200, "{\"status\":\"existing\",\"user_id\":\"u9\"}"));

            assertThat(directory.resolveByEmail(EMAIL)).isEqualTo(UserLookup.existing("u9"));
            List<RecordedRequest> requests = takeExactly(server, 2);
            assertThat(bodyOf(requests.get(1))).isEqualTo(bodyOf(requests.get(0)));
            assertThat(requests.get(1).getTarget()).isEqualTo(requests.get(0).getTarget());
        }

        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {502, 503, 504})
        @DisplayName("but only once: two 502, 503 or 504 answers are unavailable after exactly two requests")
        void transientStatusTwice(int status) throws Exception {
            server.enqueue(json(status, "{}"));
            server.enqueue(json(status, "{}"));
            server.enqueue(json(200, CREATABLE));

            assertThatThrownBy(() -> directory.resolveByEmail(EMAIL))
                    .isInstanceOf(DependencyUnavailableException.class)
                    .hasMessage("user_service: resolve-by-email answered HTTP " + status + " after 2 attempts");
            takeExactly(server, 2);
        }

        @Test
        @DisplayName("after a connection dropped without an answer")
        void droppedConnection() throws Exception {
            server.enqueue(TestHttp.dropped());
            server.enqueue(json(200, CREATABLE));

            assertThat(directory.resolveByEmail(EMAIL)).isEqualTo(UserLookup.creatable());
            takeExactly(server, 2);
        }

        @Test
        @DisplayName("after a connection closed before the request was read")
        void droppedAtConnect() throws Exception {
            server.enqueue(TestHttp.droppedAtConnect());
            server.enqueue(json(200, CREATABLE));

            assertThat(directory.resolveByEmail(EMAIL)).isEqualTo(UserLookup.creatable());
            takeExactly(server, 2);
        }

        @Test
        @DisplayName("after an answer slower than the request timeout")
        void slowAnswer() throws Exception {
            useTimeout(SHORT_TIMEOUT);
            server.enqueue(TestHttp.slow("{\"status\":\"existing\",\"user_id\":\"late\"}"));
            server.enqueue(json(200, "{\"status\":\"existing\",\"user_id\":\"u9\"}"));

            assertThat(directory.resolveByEmail(EMAIL)).isEqualTo(UserLookup.existing("u9"));
            takeExactly(server, 2);
        }

        @Test
        @DisplayName("the timeout bounds the whole call: a body that trickles in too slowly times out too")
        void trickledBody() throws Exception {
            useTimeout(SHORT_TIMEOUT);
            String slowBody = "{\"status\":\"existing\",\"user_id\":\"late\"}" + " ".repeat(20);
            server.enqueue(TestHttp.trickled(slowBody));
            server.enqueue(TestHttp.trickled(slowBody));

            long start = System.nanoTime();
            assertThatThrownBy(() -> directory.resolveByEmail(EMAIL))
                    .isInstanceOf(DependencyUnavailableException.class)
                    .hasMessage("user_service: resolve-by-email got no answer after 2 attempts (timeout)");
            // Each body would take 6s; two attempts of 750ms each plus the pause is what a caller waits.
            assertThat(millisSince(start)).isBetween(1_400L, 4_000L);
            takeExactly(server, 2);
        }

        @Test
        @DisplayName("two answers slower than the timeout are unavailable after two attempts, each bounded")
        void slowTwice() throws Exception {
            useTimeout(SHORT_TIMEOUT);
            server.enqueue(TestHttp.slow(CREATABLE));
            server.enqueue(TestHttp.slow(CREATABLE));

            long start = System.nanoTime();
            assertUnavailable(() -> directory.resolveByEmail(EMAIL));
            assertThat(millisSince(start)).isBetween(1_400L, 4_000L);
            takeExactly(server, 2);
        }

        @Test
        @DisplayName("after the configured pause")
        void pause() throws Exception {
            useClients(TestHttp.baseUrl(server, "/users-svc/"), Duration.ofSeconds(5), Duration.ofMillis(600));
            server.enqueue(json(503, "{}"));
            server.enqueue(json(200, CREATABLE));

            long start = System.nanoTime();
            directory.resolveByEmail(EMAIL);
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(600L);
        }

        @Test
        @DisplayName("an unreachable service is unavailable quickly")
        void unreachable() {
            useClients(URI.create("http://127.0.0.1:" + TestHttp.closedPort() + "/users-svc/"), Duration.ofSeconds(5),
                    Duration.ofMillis(10));

            long start = System.nanoTime();
            assertThatThrownBy(() -> directory.resolveByEmail(EMAIL))
                    .isInstanceOf(DependencyUnavailableException.class)
                    .hasMessageStartingWith("user_service: resolve-by-email got no answer after 2 attempts");
            assertThat(millisSince(start)).isLessThan(2_000L);
        }
    }

    @Nested
    @DisplayName("writes are never retried")
    class WritesNotRetried {
        static Stream<Arguments> writesAndFailures() {
            Map<String, Consumer<UserDirectory>> writes = new LinkedHashMap<>();
            writes.put("ensure", d -> d.ensureByEmail(EMAIL));
            writes.put("block", d -> d.block("u1", "fraud"));
            Map<String, MockResponse> failures = new LinkedHashMap<>();
            failures.put("HTTP 502", json(502, "{}"));
            failures.put("HTTP 503", json(503, "{}"));
            failures.put("HTTP 504", json(504, "{}"));
            failures.put("a dropped connection", TestHttp.dropped());
            failures.put("a slow answer", TestHttp.slow(BLOCKED));
            List<Arguments> arguments = new ArrayList<>();
            writes.forEach((call, write) -> failures.forEach(
                    (failure, answer) -> arguments.add(Arguments.of(call, failure, answer, write))));
            return arguments.stream();
        }

        @ParameterizedTest(name = "{0} after {1}")
        @MethodSource("writesAndFailures")
        @DisplayName("a failed write is unavailable after exactly one request, even where a read would retry")
        void once(String call, String failure, MockResponse firstAnswer, Consumer<UserDirectory> write)
                throws Exception {
            useTimeout(SHORT_TIMEOUT);
            server.enqueue(firstAnswer);
            server.enqueue(json(200, BLOCKED));

            assertUnavailable(() -> write.accept(directory));
            takeExactly(server, 1);
        }
    }

    @Nested
    @DisplayName("ping")
    class Ping {
        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {200, 404, 405, 500, 503})
        @DisplayName("any HTTP answer from the base URL means reachable")
        void anyAnswer(int status) throws Exception {
            server.enqueue(TestHttp.status(status));
            directory.ping();

            RecordedRequest request = takeExactly(server, 1).get(0);
            assertThat(request.getMethod()).isEqualTo("HEAD");
            assertThat(request.getTarget()).isEqualTo("/users-svc/");
        }

        @Test
        @DisplayName("an unreachable service is unavailable quickly")
        void unreachable() {
            useClients(URI.create("http://127.0.0.1:" + TestHttp.closedPort() + "/"), Duration.ofSeconds(5),
                    Duration.ofMillis(10));
            long start = System.nanoTime();
            assertUnavailable(() -> directory.ping());
            assertThat(millisSince(start)).isLessThan(2_000L);
        }

        @Test
        @DisplayName("a service that does not answer in time is unavailable after the request timeout")
        void silent() {
            useTimeout(SHORT_TIMEOUT);
            server.enqueue(TestHttp.slow(""));
            long start = System.nanoTime();
            assertUnavailable(() -> directory.ping());
            assertThat(millisSince(start)).isBetween(700L, 3_000L);
        }
    }
}
