package io.authsession.rest;

import static io.authsession.rest.TestHttp.bodyOf;
import static io.authsession.rest.TestHttp.json;
import static io.authsession.rest.TestHttp.takeExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OkHttpMailSenderTest {
    private static final LoginCodeMail MAIL = new LoginCodeMail(EmailAddress.parse("ada@example.com"), "042917",
            "Zm9vYmFyYmF6cXV4cXV1eA", Instant.parse("2026-11-22T10:15:30.123456789Z"));

    private MockWebServer server;
    private RestClients rest;
    private MailSender sender;

    @BeforeEach
    void start() {
        server = TestHttp.startedServer();
        useClients(TestHttp.baseUrl(server, "/mail-svc/"), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        rest.close();
        server.close();
    }

    private void useClients(URI baseUrl, Duration timeout) {
        if (rest != null) {
            rest.close();
        }
        rest = RestClients.builder().mailServiceBaseUrl(baseUrl).mailServiceRequestTimeout(timeout).build();
        sender = rest.mailSender().orElseThrow();
    }

    private void assertUnavailable() {
        assertThatThrownBy(() -> sender.sendLoginCode(MAIL)).isInstanceOfSatisfying(
                DependencyUnavailableException.class, e -> assertThat(e.dependency()).isEqualTo("mail_service"));
    }

    @Test
    @DisplayName("a mail is POSTed as JSON with the challenge id as Idempotency-Key and the expiry in RFC 3339")
    void requestShape() throws Exception {
        server.enqueue(TestHttp.status(202));
        sender.sendLoginCode(MAIL);

        RecordedRequest request = takeExactly(server, 1).get(0);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/mail-svc/api/v1/mail/login-code");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("Zm9vYmFyYmF6cXV4cXV1eA");
        assertThat(JsonParser.parseString(bodyOf(request))).isEqualTo(JsonParser.parseString(
                "{\"email\":\"ada@example.com\",\"code\":\"042917\",\"challenge_id\":\"Zm9vYmFyYmF6cXV4cXV1eA\","
                        + "\"expires_at\":\"2026-11-22T10:15:30.123Z\"}"));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {200, 201, 202, 204})
    @DisplayName("any 2xx is accepted, whatever its body")
    void anySuccess(int status) throws Exception {
        server.enqueue(new MockResponse.Builder().code(status).body(status == 204 ? "" : "queued, thanks").build());
        sender.sendLoginCode(MAIL);
        takeExactly(server, 1);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 404, 409, 422, 429, 500, 502, 503, 504})
    @DisplayName("any other status is unavailable after exactly one request: a mail is never retried")
    void failureStatus(int status) throws Exception {
        server.enqueue(json(status, "{}"));
        server.enqueue(TestHttp.status(202));
        assertThatThrownBy(() -> sender.sendLoginCode(MAIL))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessage("mail_service: login-code answered HTTP " + status);
        takeExactly(server, 1);
    }

    @Test
    @DisplayName("a dropped connection is unavailable after exactly one request")
    void dropped() throws Exception {
        server.enqueue(TestHttp.dropped());
        server.enqueue(TestHttp.status(202));
        assertUnavailable();
        takeExactly(server, 1);
    }

    @Test
    @DisplayName("a kept-alive connection dropped under a mail is not retried by the HTTP client either")
    void droppedReusedConnection() throws Exception {
        server.enqueue(TestHttp.status(202));
        sender.sendLoginCode(MAIL);
        server.enqueue(TestHttp.dropped());
        server.enqueue(TestHttp.status(202));

        assertUnavailable();
        List<RecordedRequest> requests = takeExactly(server, 2);
        assertThat(requests.get(1).getConnectionIndex()).as("the second mail reused the first one's connection")
                .isEqualTo(requests.get(0).getConnectionIndex());
    }

    @Test
    @DisplayName("an answer slower than the request timeout is unavailable after exactly one request, in time")
    void slow() throws Exception {
        useClients(TestHttp.baseUrl(server, "/mail-svc/"), Duration.ofMillis(750));
        server.enqueue(TestHttp.slow(""));
        server.enqueue(TestHttp.status(202));

        long start = System.nanoTime();
        assertThatThrownBy(() -> sender.sendLoginCode(MAIL))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessage("mail_service: login-code got no answer (timeout)");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(700L, 3_000L);
        takeExactly(server, 1);
    }

    @Test
    @DisplayName("an unreachable mail service is unavailable quickly")
    void unreachable() {
        useClients(URI.create("http://127.0.0.1:" + TestHttp.closedPort()), Duration.ofSeconds(5));
        long start = System.nanoTime();
        assertUnavailable();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000L);
    }

    @Test
    @DisplayName("ping asks the base URL and takes any HTTP answer as reachable")
    void ping() throws Exception {
        server.enqueue(TestHttp.status(404));
        sender.ping();

        RecordedRequest request = takeExactly(server, 1).get(0);
        assertThat(request.getMethod()).isEqualTo("HEAD");
        assertThat(request.getTarget()).isEqualTo("/mail-svc/");
    }

    @Test
    @DisplayName("ping of an unreachable mail service is unavailable")
    void pingUnreachable() {
        useClients(URI.create("http://127.0.0.1:" + TestHttp.closedPort()), Duration.ofSeconds(5));
        assertThatThrownBy(() -> sender.ping()).isInstanceOfSatisfying(DependencyUnavailableException.class,
                e -> assertThat(e.dependency()).isEqualTo("mail_service"));
    }
}
