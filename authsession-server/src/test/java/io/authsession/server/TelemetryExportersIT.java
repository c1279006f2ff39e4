package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exporters an operator expects are in the packaged jar and work without a collector (CONTRACT §8): console
 * (and its older name, logging) on standard output, Prometheus on a port of its own. Runs after {@code package}.
 */
class TelemetryExportersIT {
    private static final Path JAR = Path.of("target", "authsession-server.jar");
    private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-eee19b7ec3c1b174-01";
    private static final String SEND = "/api/v1/public/auth/send-email-code";

    private final HttpClient http = HttpClient.newHttpClient();

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:0",
                "AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:0",
                "AUTHSESSION_SHUTDOWN_TIMEOUT", "2s",
                "OTEL_LOGS_EXPORTER", "none"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("traceparent", TRACEPARENT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    @DisplayName("OTEL_*_EXPORTER=console writes the span of a real request, and the metrics, to standard output")
    void console() throws Exception {
        try (ServerProcess server = ServerProcess.fromJar(JAR, env("OTEL_TRACES_EXPORTER", "console",
                "OTEL_METRICS_EXPORTER", "console", "OTEL_BSP_SCHEDULE_DELAY", "100"), "--dev")) {
            int port = server.listenerPort("public");
            assertThat(server.awaitLine("event=telemetry_enabled", Duration.ofSeconds(5)))
                    .contains("traces_exporter=console", "metrics_exporter=console");
            assertThat(post(port, SEND, "{\"email\":\"console@example.com\"}").statusCode()).isEqualTo(200);
            assertThat(server.awaitLine("'POST " + SEND + "' : " + TRACE_ID, Duration.ofSeconds(20)))
                    .contains("SERVER", "http.route=" + SEND, "http.response.status_code=200");
            server.awaitLine("'authsession.send_email_code' : " + TRACE_ID, Duration.ofSeconds(20));
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.stdout()).anyMatch(line -> line.contains("name=http.server.request.duration"));
            assertThat(server.stdout()).noneMatch(line -> line.contains("console@example.com") && !line.contains("stub_mail"));
            assertThat(server.stderr()).isEmpty();
        }
    }

    @Test
    @DisplayName("OTEL_METRICS_EXPORTER=prometheus serves http_server_request_duration_seconds on its own port, never on a listener")
    void prometheus() throws Exception {
        int scrape = freePort();
        try (ServerProcess server = ServerProcess.fromJar(JAR, env("OTEL_METRICS_EXPORTER", "prometheus",
                "OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(scrape), "OTEL_TRACES_EXPORTER", "logging"),
                "--dev")) {
            int publicPort = server.listenerPort("public");
            int internalPort = server.listenerPort("internal");
            assertThat(server.awaitLine("event=telemetry_enabled", Duration.ofSeconds(5)))
                    .contains("metrics_exporter=prometheus", "prometheus_endpoint=0.0.0.0:" + scrape + "/metrics");
            assertThat(post(publicPort, SEND, "{\"email\":\"scrape@example.com\"}").statusCode()).isEqualTo(200);
            assertThat(post(publicPort, SEND, "{").statusCode()).isEqualTo(400);

            HttpResponse<String> metrics = get(scrape, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("http_server_request_duration_seconds_bucket{",
                    "http_route=\"" + SEND + "\"", "http_response_status_code=\"400\"",
                    "authsession_use_case_duration_seconds_count{", "authsession_challenges_total{")
                    .doesNotContain("scrape@example.com");
            assertThat(get(publicPort, "/metrics").statusCode()).isEqualTo(404);
            assertThat(get(internalPort, "/metrics").statusCode()).isEqualTo(404);
            server.awaitLine("'POST " + SEND + "' : " + TRACE_ID, Duration.ofSeconds(20));
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    @DisplayName("a Prometheus port that is a listener's fails startup naming telemetry and the variable")
    void prometheusOnAListener() throws Exception {
        int port = freePort();
        try (ServerProcess server = ServerProcess.fromJar(JAR, env("OTEL_METRICS_EXPORTER", "prometheus",
                "OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(port),
                "AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:" + port), "--dev")) {
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(server.stdout()).anyMatch(line -> line.contains("event=startup_failed component=telemetry")
                    && line.contains("OTEL_EXPORTER_PROMETHEUS_PORT"));
            assertThat(server.stdout()).noneMatch(line -> line.contains("listener started"));
        }
    }
}
