package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The server's spans and metrics as an SRE reads them in a tracing backend: one server span per request continuing the
 * caller's trace, the use case under it, the Redis and REST calls under that; the request duration histogram and the
 * per-use-case histogram; and no attribute anywhere that names an address, a code, a session or a token.
 */
class RequestTracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";
    private static final String TOKEN = "internal-token-for-tracing-test";

    private static Map<String, String> env(MemoryExporters exporters, String... more) {
        Map<String, String> env = new HashMap<>(exporters.environment());
        env.put("AUTHSESSION_INTERNAL_API_TOKEN", TOKEN);
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    @DisplayName("a request continues the caller's traceparent; the use case, Redis and REST spans are its descendants")
    void spanTree() throws Exception {
        MemoryExporters exporters = new MemoryExporters();
        int port;
        try (TestServer t = new TestServer(env(exporters))) {
            port = t.server.publicAddress().getPort();
            HttpResponse<String> sent = t.post(t.publicUrl("/api/v1/public/auth/send-email-code"),
                    "{\"email\":\"trace@example.com\"}", "traceparent", TRACEPARENT);
            assertThat(sent.statusCode()).isEqualTo(200);
        }
        List<SpanData> spans = exporters.spans();
        SpanData server = only(spans, s -> s.getKind() == SpanKind.SERVER);
        assertThat(server.getName()).isEqualTo("POST /api/v1/public/auth/send-email-code");
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(server.getAttributes().asMap()).containsEntry(AttributeKey.stringKey("http.request.method"), "POST")
                .containsEntry(AttributeKey.stringKey("http.route"), "/api/v1/public/auth/send-email-code")
                .containsEntry(AttributeKey.longKey("http.response.status_code"), 200L)
                .containsEntry(AttributeKey.stringKey("url.scheme"), "http")
                .containsEntry(AttributeKey.longKey("server.port"), (long) port);

        SpanData useCase = only(spans, s -> s.getName().equals("authsession.send_email_code"));
        assertThat(useCase.getParentSpanId()).isEqualTo(server.getSpanId());
        // The startup checks' Redis spans are traces of their own; the request's are in the caller's trace.
        List<SpanData> redis = spans.stream()
                .filter(s -> s.getName().startsWith("redis ") && s.getTraceId().equals(TRACE_ID)).toList();
        assertThat(redis).extracting(SpanData::getName).contains("redis take resend window", "redis create challenge");
        assertThat(redis).allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(s.getParentSpanId()).isEqualTo(useCase.getSpanId());
            assertThat(s.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("redis");
        });
        SpanData resolve = only(spans, s -> s.getName().equals("POST resolve-by-email"));
        SpanData mail = only(spans, s -> s.getName().equals("POST login-code"));
        assertThat(List.of(resolve, mail)).allSatisfy(s -> {
            assertThat(s.getParentSpanId()).isEqualTo(useCase.getSpanId());
            assertThat(s.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isBetween(200L, 299L);
        });
    }

    @Test
    @DisplayName("a timed send's delivery, on its own pool after the answer is scheduled, stays in the send's trace")
    void timedDeliveryStaysInTrace() throws Exception {
        MemoryExporters exporters = new MemoryExporters();
        try (TestServer t = new TestServer(env(exporters, "AUTHSESSION_SEND_ANSWER_TIME", "50ms"))) {
            t.post(t.publicUrl("/api/v1/public/auth/send-email-code"), "{\"email\":\"timed@example.com\"}",
                    "traceparent", TRACEPARENT);
        }
        List<SpanData> spans = exporters.spans();
        SpanData useCase = only(spans, s -> s.getName().equals("authsession.send_email_code"));
        assertThat(only(spans, s -> s.getName().equals("POST login-code")).getParentSpanId())
                .isEqualTo(useCase.getSpanId());
        assertThat(useCase.getTraceId()).isEqualTo(TRACE_ID);
    }

    @Test
    @DisplayName("http.server.request.duration is recorded by method, route template and status; use cases have theirs")
    void histograms() throws Exception {
        MemoryExporters exporters = new MemoryExporters();
        try (TestServer t = new TestServer(env(exporters))) {
            JsonObject login = t.login("histogram@example.com");
            t.get(t.internalUrl("/api/v1/internal/sessions/" + login.get("device_session_id").getAsString()),
                    "Authorization", "Bearer " + TOKEN);
            t.post(t.publicUrl("/api/v1/public/auth/send-email-code"), "{\"email\":\"nope\"}");
            t.get(t.publicUrl("/no/such/path"));
        }
        List<HistogramPointData> http = points(exporters, "http.server.request.duration");
        assertThat(http).anySatisfy(p -> assertThat(attributes(p)).containsEntry("http.request.method", "GET")
                .containsEntry("http.route", "/api/v1/internal/sessions/{device_session_id}")
                .containsEntry("http.response.status_code", "200"));
        assertThat(http).anySatisfy(p -> assertThat(attributes(p))
                .containsEntry("http.route", "/api/v1/public/auth/send-email-code")
                .containsEntry("http.response.status_code", "400"));
        assertThat(http).anySatisfy(p -> assertThat(attributes(p)).doesNotContainKey("http.route")
                .containsEntry("http.response.status_code", "404"));
        assertThat(http).allSatisfy(p -> assertThat(p.getCount()).isPositive());
        assertThat(metric(exporters, "http.server.request.duration").getUnit()).isEqualTo("s");

        List<HistogramPointData> useCases = points(exporters, "authsession.use_case.duration");
        assertThat(useCases).extracting(p -> attributes(p).get("authsession.use_case"))
                .contains("send_email_code", "confirm_email_code", "get_session");
        assertThat(metricNames(exporters)).contains("authsession.challenges", "authsession.confirms",
                "db.client.operation.duration", "http.client.request.duration");
    }

    @Test
    @DisplayName("a 503 is counted under the dependency that failed, and marks the server span as an error")
    void dependencyUnavailable() throws Exception {
        MemoryExporters exporters = new MemoryExporters();
        try (TestServer t = new TestServer(env(exporters))) {
            t.services.mailStatus(500);
            HttpResponse<String> sent = t.post(t.publicUrl("/api/v1/public/auth/send-email-code"),
                    "{\"email\":\"down@example.com\"}");
            assertThat(sent.statusCode()).isEqualTo(503);
        }
        MetricData unavailable = metric(exporters, "authsession.dependency.unavailable");
        assertThat(unavailable.getLongSumData().getPoints()).singleElement().satisfies(p -> {
            assertThat(p.getValue()).isEqualTo(1);
            assertThat(p.getAttributes().get(AttributeKey.stringKey("authsession.dependency"))).isEqualTo("mail_service");
            assertThat(p.getAttributes().get(AttributeKey.stringKey("http.route")))
                    .isEqualTo("/api/v1/public/auth/send-email-code");
        });
        SpanData server = only(exporters.spans(), s -> s.getKind() == SpanKind.SERVER);
        assertThat(server.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
    }

    @Test
    @DisplayName("no span name, attribute or metric attribute holds an address, a code, a session id or a token")
    void nothingSecretInTelemetry() throws Exception {
        MemoryExporters exporters = new MemoryExporters();
        List<String> secrets = new ArrayList<>(List.of("Secret.Person@Example.org", "secret.person@example.org", TOKEN));
        try (TestServer t = new TestServer(env(exporters))) {
            String bearer = "Bearer " + TOKEN;
            String challengeId = t.sendCode("Secret.Person@Example.org");
            String code = t.services.codeFor(challengeId);
            t.confirm(challengeId, code.equals("000000") ? "111111" : "000000"); // a wrong code first
            JsonObject login = TestServer.json(t.confirm(challengeId, code));
            String session = login.get("device_session_id").getAsString();
            String user = login.get("user_id").getAsString();
            secrets.addAll(List.of(challengeId, code, session));
            t.get(t.internalUrl("/api/v1/internal/users/" + user + "/sessions"), "Authorization", bearer);
            t.get(t.internalUrl("/api/v1/internal/sessions/" + session), "Authorization", bearer);
            t.post(t.internalUrl("/api/v1/internal/sessions/" + session + "/extend"), "", "Authorization", bearer);
            t.post(t.internalUrl("/api/v1/internal/sessions/" + session + "/revoke"), "{\"reason\":\"tracing\"}",
                    "Authorization", bearer);
            t.post(t.internalUrl("/api/v1/internal/users/" + user + "/sessions/revoke-all"), "{}", "Authorization",
                    bearer);
            t.post(t.internalUrl("/api/v1/internal/users/" + user + "/block"), "{\"reason\":\"tracing\"}",
                    "Authorization", bearer);
            t.get(t.internalUrl("/api/v1/internal/sessions/" + session), "Authorization", "Bearer wrong-" + TOKEN);
        }
        List<String> recorded = new ArrayList<>();
        for (SpanData span : exporters.spans()) {
            recorded.add(span.getName());
            recorded.addAll(values(span.getAttributes()));
            for (EventData event : span.getEvents()) {
                recorded.add(event.getName());
                recorded.addAll(values(event.getAttributes()));
            }
            recorded.addAll(values(span.getResource().getAttributes()));
        }
        for (MetricData metric : exporters.metrics()) {
            recorded.add(metric.getName());
            for (PointData point : metric.getData().getPoints()) {
                recorded.addAll(values(point.getAttributes()));
            }
        }
        assertThat(exporters.spans()).hasSizeGreaterThan(20);
        for (String secret : secrets) {
            assertThat(recorded).as("telemetry holding %s", secret).noneMatch(value -> value.contains(secret));
        }
    }

    private static List<String> values(Attributes attributes) {
        return attributes.asMap().values().stream().map(String::valueOf).toList();
    }

    private static SpanData only(List<SpanData> spans, java.util.function.Predicate<SpanData> which) {
        List<SpanData> found = spans.stream().filter(which).toList();
        assertThat(found).as("spans: %s", spans.stream().map(SpanData::getName).toList()).hasSize(1);
        return found.get(0);
    }

    private static MetricData metric(MemoryExporters exporters, String name) {
        List<MetricData> exports = exporters.metrics().stream().filter(m -> m.getName().equals(name)).toList();
        assertThat(exports).as("exports of %s in %s", name, metricNames(exporters)).isNotEmpty();
        return exports.get(exports.size() - 1);
    }

    private static List<String> metricNames(MemoryExporters exporters) {
        return exporters.metrics().stream().map(MetricData::getName).distinct().toList();
    }

    private static List<HistogramPointData> points(MemoryExporters exporters, String name) {
        return List.copyOf(metric(exporters, name).getHistogramData().getPoints());
    }

    private static Map<String, String> attributes(PointData point) {
        return point.getAttributes().asMap().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().getKey(), e -> String.valueOf(e.getValue())));
    }
}
