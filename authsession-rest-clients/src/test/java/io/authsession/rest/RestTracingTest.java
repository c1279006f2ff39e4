package io.authsession.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.port.UserDirectory;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each attempt of an outbound call is a client span under the caller's, and carries the trace to the service. */
class RestTracingTest {

    @Test
    @DisplayName("a retried read is two client spans under the caller's span, each sent along as its traceparent")
    void retriedRead() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        try (MockWebServer server = TestHttp.startedServer();
                RestClients rest = RestClients.builder()
                        .userServiceBaseUrl(TestHttp.baseUrl(server, "/"))
                        .userServiceRequestTimeout(Duration.ofSeconds(5))
                        .retryPause(Duration.ZERO)
                        .openTelemetry(sdk)
                        .build()) {
            server.enqueue(TestHttp.json(503, "{}"));
            server.enqueue(TestHttp.json(200, "{\"status\":\"creatable\"}"));
            UserDirectory users = rest.userDirectory().orElseThrow();
            Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                users.resolveByEmail(EmailAddress.parse("traced@example.com"));
            } finally {
                caller.end();
            }
            RecordedRequest first = server.takeRequest();
            RecordedRequest second = server.takeRequest();

            List<SpanData> attempts = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.CLIENT).toList();
            assertThat(attempts).hasSize(2).allSatisfy(s -> {
                assertThat(s.getName()).isEqualTo("POST resolve-by-email");
                assertThat(s.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
                assertThat(s.getAttributes().get(AttributeKey.stringKey("authsession.dependency")))
                        .isEqualTo("user_service");
                assertThat(s.getAttributes().asMap().values()).noneMatch(v -> v.toString().contains("traced@"));
            });
            assertThat(attempts.get(0).getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                    .isEqualTo(503);
            assertThat(attempts.get(0).getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
            assertThat(attempts.get(1).getAttributes().get(AttributeKey.longKey("http.request.resend_count")))
                    .isEqualTo(1);
            assertThat(first.getHeaders().get("traceparent"))
                    .startsWith("00-" + caller.getSpanContext().getTraceId() + "-" + attempts.get(0).getSpanId() + "-");
            assertThat(second.getHeaders().get("traceparent")).contains(attempts.get(1).getSpanId());
        } finally {
            sdk.close();
        }
    }

    @Test
    @DisplayName("without OpenTelemetry no trace header is sent")
    void untraced() throws Exception {
        try (MockWebServer server = TestHttp.startedServer();
                RestClients rest = RestClients.builder()
                        .userServiceBaseUrl(TestHttp.baseUrl(server, "/"))
                        .userServiceRequestTimeout(Duration.ofSeconds(5))
                        .build()) {
            server.enqueue(TestHttp.json(200, "{\"status\":\"creatable\"}"));
            rest.userDirectory().orElseThrow().resolveByEmail(EmailAddress.parse("plain@example.com"));
            assertThat(server.takeRequest().getHeaders().get("traceparent")).isNull();
        }
    }
}
