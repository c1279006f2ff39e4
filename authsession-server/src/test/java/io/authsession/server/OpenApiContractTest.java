package io.authsession.server;

import static io.authsession.server.OpenApiContract.Listener.INTERNAL;
import static io.authsession.server.OpenApiContract.Listener.PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.authsession.server.OpenApiContract.Exchange;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The check that keeps docs/openapi.yaml and the server together: it passes what is documented, and only that. */
class OpenApiContractTest {
    private static final String SEND = "/api/v1/public/auth/send-email-code";
    private static final String SESSION = "/api/v1/internal/sessions/50rG0z7z2ca1mknx_Fv-tJuXUA";
    private static final String SESSION_JSON = "{\"device_session_id\":\"50rG0z7z2ca1mknx_Fv-tJuXUA\",\"user_id\":\"u1\","
            + "\"status\":\"active\",\"created_at\":\"2026-11-22T10:16:02.481Z\",\"revision\":1}";
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"),
            "Cache-Control", List.of("no-store"));

    /**
     * Operations of the contract that the server does not answer yet. Each must still be 404 {@code not_found} on the
     * server, so that this list shrinks as they are built. Empty: every documented operation is served.
     */
    private static final Set<String> NOT_YET_SERVED = Set.of();

    private final OpenApiContract contract = OpenApiContract.shared();

    private static Map<String, List<String>> with(String name, String value) {
        Map<String, List<String>> headers = new java.util.HashMap<>(JSON);
        headers.put(name, List.of(value));
        return headers;
    }

    private static String error(String code) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}";
    }

    @Test
    @DisplayName("the document is OpenAPI 3.1 and lists every endpoint of both listeners")
    void document() throws Exception {
        assertThat(Files.readString(OpenApiContract.DOCUMENT, StandardCharsets.UTF_8)).contains("\nopenapi: 3.1.0\n");
        assertThat(contract.operations(PUBLIC)).containsExactlyInAnyOrder(
                "POST /api/v1/public/auth/send-email-code", "POST /api/v1/public/auth/confirm-email-code");
        assertThat(contract.operations(INTERNAL)).containsExactlyInAnyOrder(
                "GET /api/v1/internal/users/{user_id}/sessions",
                "GET /api/v1/internal/sessions/{device_session_id}",
                "POST /api/v1/internal/sessions/{device_session_id}/revoke",
                "POST /api/v1/internal/sessions/{device_session_id}/extend",
                "POST /api/v1/internal/users/{user_id}/sessions/revoke-all",
                "POST /api/v1/internal/users/{user_id}/block");
    }

    @Nested
    @DisplayName("passes what the document describes")
    class Passes {
        @Test
        @DisplayName("answers of the documented shapes, with or without optional fields")
        void documented() {
            assertThat(contract.problems(PUBLIC, Exchange.of("POST", SEND, "{\"email\":\" A@Example.com \",\"x\":1}",
                    200, "{\"challenge_id\":\"Vgw_QG5QC2P_RXWFqCm2tA\"}", JSON))).isEmpty();
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", SESSION, null, 200, SESSION_JSON, JSON))).isEmpty();
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", SESSION, null, 200,
                    "{\"device_session_id\":\"s\",\"user_id\":\"u1\",\"status\":\"expired\",\"created_at\":"
                            + "\"2026-11-22T10:16:02.481Z\",\"expires_at\":\"2026-11-23T10:16:02.481Z\",\"revision\":3,"
                            + "\"device_name\":\"Pixel 8\"}", JSON))).isEmpty();
            assertThat(contract.problems(INTERNAL, Exchange.of("POST", SESSION + "/extend", null, 409,
                    error("session_inactive"), JSON))).isEmpty();
        }

        @Test
        @DisplayName("a refused request answered with a documented error, unlisted paths with 404, other methods with 405")
        void errors() {
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", "/api/v1/internal/users/" + "u".repeat(129)
                    + "/sessions", null, 400, error("invalid_request"), JSON))).isEmpty();
            assertThat(contract.problems(PUBLIC, Exchange.of("POST", SEND + "/", "{}", 404, error("not_found"), JSON)))
                    .isEmpty();
            assertThat(contract.problems(INTERNAL, Exchange.of("POST", SEND, "{}", 404, error("not_found"), JSON)))
                    .isEmpty();
            assertThat(contract.problems(PUBLIC, Exchange.of("GET", SEND, null, 405, error("method_not_allowed"),
                    with("Allow", "POST")))).isEmpty();
            assertThat(contract.problems(INTERNAL, Exchange.of("HEAD", SESSION, null, 405, "", with("Allow", "GET"))))
                    .isEmpty();
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", "/nothing", null, 401, error("unauthorized"),
                    with("WWW-Authenticate", "Bearer")))).isEmpty();
        }
    }

    @Nested
    @DisplayName("fails what the document does not describe")
    class Fails {
        @Test
        @DisplayName("an undocumented field in an answer")
        void undocumentedField() {
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", SESSION, null, 200,
                    SESSION_JSON.replace("}", ",\"last_seen_at\":\"2026-11-22T10:16:02.481Z\"}"), JSON)))
                    .anySatisfy(problem -> assertThat(problem).contains("additionalProperties", "last_seen_at"));
        }

        @Test
        @DisplayName("a field of the wrong type, a missing field, a timestamp without milliseconds, an unknown status")
        void wrongFields() {
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", SESSION, null, 200,
                    SESSION_JSON.replace("\"revision\":1", "\"revision\":\"1\""), JSON))).isNotEmpty();
            assertThat(contract.problems(PUBLIC, Exchange.of("POST", SEND, "{\"email\":\"a@example.com\"}", 200, "{}",
                    JSON))).isNotEmpty();
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", SESSION, null, 200,
                    SESSION_JSON.replace(".481Z", "Z"), JSON))).isNotEmpty();
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", SESSION, null, 200,
                    SESSION_JSON.replace("active", "suspended"), JSON))).isNotEmpty();
        }

        @Test
        @DisplayName("an undocumented status, or an error code that belongs to another answer")
        void undocumentedStatus() {
            assertThat(contract.problems(PUBLIC, Exchange.of("POST", SEND, "{\"email\":\"a@example.com\"}", 201,
                    "{\"challenge_id\":\"c\"}", JSON)))
                    .anySatisfy(problem -> assertThat(problem).contains("validation.response.status.unknown"));
            assertThat(contract.problems(PUBLIC, Exchange.of("POST", "/api/v1/public/auth/confirm-email-code",
                    "{\"challenge_id\":\"c\",\"code\":\"123456\"}", 404, error("session_not_found"), JSON)))
                    .isNotEmpty();
            assertThat(contract.problems(PUBLIC, Exchange.of("POST", SEND, "{}", 400, error("no_such_code"), JSON)))
                    .isNotEmpty();
        }

        @Test
        @DisplayName("a missing Cache-Control, Allow on a 405 or WWW-Authenticate on a 401, and a non-JSON answer")
        void headers() {
            assertThat(contract.problems(PUBLIC, Exchange.of("POST", SEND, "{\"email\":\"a@example.com\"}", 200,
                    "{\"challenge_id\":\"c\"}", Map.of("Content-Type", List.of("application/json")))))
                    .anySatisfy(problem -> assertThat(problem).contains("Cache-Control"));
            assertThat(contract.problems(PUBLIC, Exchange.of("GET", SEND, null, 405, error("method_not_allowed"),
                    JSON))).anySatisfy(problem -> assertThat(problem).contains("Allow"));
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", SESSION, null, 401, error("unauthorized"),
                    JSON))).anySatisfy(problem -> assertThat(problem).contains("WWW-Authenticate"));
            assertThat(contract.problems(PUBLIC, Exchange.of("POST", SEND, "{\"email\":\"a@example.com\"}", 200,
                    "{\"challenge_id\":\"c\"}", with("Content-Type", "text/html")))).isNotEmpty();
        }

        @Test
        @DisplayName("a success for a request the document refuses")
        void laxServer() {
            assertThat(contract.problems(INTERNAL, Exchange.of("GET", "/api/v1/internal/users/u1/sessions?status=gone",
                    null, 200, "{\"user_id\":\"u1\",\"sessions\":[]}", JSON)))
                    .anySatisfy(problem -> assertThat(problem).contains("accepted a request that the document refuses"));
            assertThat(contract.problems(PUBLIC, Exchange.of("POST", SEND, "{\"email\":42}", 200,
                    "{\"challenge_id\":\"c\"}", JSON))).isNotEmpty();
        }

        @Test
        @DisplayName("an unlisted path that answers, a listed path that says 404 to another method, a public path on the internal listener")
        void unlisted() {
            assertThat(contract.problems(PUBLIC, Exchange.of("GET", "/api/v1/public/health", null, 200, "{}", JSON)))
                    .anySatisfy(problem -> assertThat(problem).contains("not listed for this listener"));
            assertThat(contract.problems(PUBLIC, Exchange.of("GET", SEND, null, 404, error("not_found"), JSON)))
                    .anySatisfy(problem -> assertThat(problem).contains("405 method_not_allowed"));
            assertThat(contract.problems(INTERNAL, Exchange.of("POST", SEND, "{\"email\":\"a@example.com\"}", 200,
                    "{\"challenge_id\":\"c\"}", JSON))).isNotEmpty();
            assertThat(contract.problems(PUBLIC, Exchange.of("GET", "/nothing", null, 401, error("unauthorized"),
                    with("WWW-Authenticate", "Bearer")))).isNotEmpty();
        }
    }

    @Test
    @DisplayName("through the test server's helper, a mismatch fails the test with a readable message")
    void helperFails() throws Exception {
        try (TestServer t = new TestServer()) {
            java.net.URI health = t.publicUrl("/api/v1/public/health");
            HttpRequest request = HttpRequest.newBuilder(health).GET().build();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            // The real 404 passes; the same exchange with a 200 that some future route might answer does not.
            contract.check(request, answer, t.server.publicAddress().getPort(), t.server.internalAddress().getPort());
            HttpResponse<String> pretended = new PretendedResponse(answer, 200, "{\"status\":\"ok\"}");
            assertThatThrownBy(() -> contract.check(request, pretended, t.server.publicAddress().getPort(),
                    t.server.internalAddress().getPort()))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("docs/openapi.yaml does not describe this exchange on the public listener")
                    .hasMessageContaining("GET /api/v1/public/health")
                    .hasMessageContaining("-> 200 {\"status\":\"ok\"}")
                    .hasMessageContaining("validation.response.status.unknown");
        }
    }

    @Test
    @DisplayName("every operation of the document is served")
    void everyOperationServed() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> unserved = new ArrayList<>();
        try (TestServer t = new TestServer()) {
            for (OpenApiContract.Listener listener : OpenApiContract.Listener.values()) {
                for (String operation : contract.operations(listener)) {
                    String[] methodAndPath = operation.split(" ", 2);
                    String path = methodAndPath[1].replaceAll("\\{[a-z_]+\\}", "probe");
                    // Not through the helper: a route that is not served yet is exactly what the check refuses.
                    HttpRequest probe = HttpRequest.newBuilder(listener == PUBLIC ? t.publicUrl(path) : t.internalUrl(path))
                            .method(methodAndPath[0], methodAndPath[0].equals("POST")
                                    ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                            .build();
                    HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
                    boolean served = answer.statusCode() != 405 && !(answer.statusCode() == 404 && JsonParser
                            .parseString(answer.body()).getAsJsonObject().getAsJsonObject("error")
                            .get("code").getAsString().equals("not_found"));
                    if (!served) {
                        unserved.add(operation);
                    }
                }
            }
        }
        assertThat(unserved).as("documented operations the server does not answer (built one? drop it from"
                + " NOT_YET_SERVED)").containsExactlyInAnyOrderElementsOf(NOT_YET_SERVED);
    }

    /** An answer as a future server might give it, to show what the check does with it. */
    private record PretendedResponse(HttpResponse<String> real, int statusCode, String body) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return real.request();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return real.headers();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.URI uri() {
            return real.uri();
        }

        @Override
        public HttpClient.Version version() {
            return real.version();
        }
    }
}
