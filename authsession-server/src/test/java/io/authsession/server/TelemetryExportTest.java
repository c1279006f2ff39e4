package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry wiring: silent without OTEL_* variables, exporting over OTLP with them, flushed at shutdown. */
class TelemetryExportTest {

    @Test
    @DisplayName("without OTEL_* variables there is no SDK: nothing records, nothing exports")
    void silent() {
        ServerTelemetry telemetry = ServerTelemetry.fromEnvironment(Map.of("AUTHSESSION_REDIS_DB", "0"));
        assertThat(telemetry.enabled()).isFalse();
        assertThat(telemetry.openTelemetry().getTracer("t").spanBuilder("s").startSpan().isRecording()).isFalse();
    }

    @Test
    @DisplayName("with OTLP variables, use-case spans and metrics reach the collector, flushed when the server stops")
    void exports() throws Exception {
        try (MockWebServer collector = new MockWebServer()) {
            collector.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse.Builder().code(200).build();
                }
            });
            collector.start();
            String endpoint = "http://127.0.0.1:" + collector.getPort();
            TestServer t = new TestServer(Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint,
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                    "OTEL_LOGS_EXPORTER", "none",
                    "OTEL_RESOURCE_ATTRIBUTES", "service.name=edge-auth,deployment.environment=test",
                    "OTEL_METRIC_EXPORT_INTERVAL", "600000"));
            t.login("otel@example.com");
            t.close();

            List<RecordedRequest> requests = new ArrayList<>();
            RecordedRequest request;
            while ((request = collector.takeRequest(2, TimeUnit.SECONDS)) != null) {
                requests.add(request);
            }
            String traces = bodies(requests, "/v1/traces");
            String metrics = bodies(requests, "/v1/metrics");
            assertThat(traces).contains("authsession.send_email_code", "authsession.confirm_email_code", "edge-auth");
            assertThat(metrics).contains("authsession.challenges", "authsession.confirms");
            assertThat(traces + metrics).doesNotContain("otel@example.com");
        }
    }

    @Test
    @DisplayName("an OTEL_* value the SDK refuses fails startup naming telemetry, with nothing left open")
    void refusedValue() {
        java.util.Map<String, String> env = new java.util.HashMap<>(Map.of("OTEL_TRACES_EXPORTER", "carrier-pigeon"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuthSessionServer.start(
                        ServerConfig.fromEnvironment(env, false), env))
                .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.component()).isEqualTo("telemetry"));
    }

    private static String bodies(List<RecordedRequest> requests, String path) {
        StringBuilder text = new StringBuilder();
        for (RecordedRequest request : requests) {
            if (path.equals(request.getUrl().encodedPath()) && request.getBody() != null) {
                text.append(new String(request.getBody().toByteArray(), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }
}
