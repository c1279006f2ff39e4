package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads from the process (CONTRACT §8): {@code --version}, the {@code event=config} line, the log
 * level, the debug line per send, trace ids on log lines, and silence when telemetry is disabled. Each test runs the
 * server in a process of its own, in {@code --dev}.
 */
class OperatorOutputTest {
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-b7ad6b7169203331-01";
    private static final String TOKEN = "operator-output-token-0123456789";
    private static final String KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=";
    private static final Pattern CHALLENGE = Pattern.compile("\"challenge_id\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:0",
                "AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:0",
                "AUTHSESSION_SHUTDOWN_TIMEOUT", "2s"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private String send(int port, String email, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/public/auth/send-email-code")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"email\":\"" + email + "\"}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        Matcher id = CHALLENGE.matcher(answer.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    @Test
    @DisplayName("--version (and admin --version) prints the version of the build and exits 0")
    void version() throws Exception {
        try (ServerProcess process = ServerProcess.fromClasspath(Map.of(), "--version")) {
            assertThat(process.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(Version.current()).matches("\\d+\\.\\d+\\.\\d+([-.][0-9A-Za-z.-]+)?");
            assertThat(process.stdout()).containsExactly("authsession " + Version.current());
            assertThat(process.stderr()).isEmpty();
        }
        try (ServerProcess admin = ServerProcess.fromClasspath(Map.of(), "admin", "--version")) {
            assertThat(admin.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(admin.stdout()).as("the operator command line says the same").containsExactly("authsession "
                    + Version.current());
        }
    }

    @Test
    @DisplayName("one event=config line follows the listener lines with the effective settings and no secret")
    void configLine() throws Exception {
        try (ServerProcess server = ServerProcess.fromClasspath(env("AUTHSESSION_INTERNAL_API_TOKEN", TOKEN,
                "AUTHSESSION_CODE_HASH_KEY", KEY, "AUTHSESSION_REDIS_KEY_PREFIX", "ops:"), "--dev")) {
            server.listenerPort("public");
            String config = server.awaitLine("event=config", Duration.ofSeconds(30));
            List<String> lines = server.stdout();
            assertThat(lines.indexOf(config)).isGreaterThan(lines.indexOf(
                    server.awaitLine("internal HTTP listener started", Duration.ofSeconds(5))))
                    .isGreaterThan(lines.indexOf(server.awaitLine("public HTTP listener started", Duration.ofSeconds(5))));
            assertThat(lines).filteredOn(line -> line.contains("event=config")).hasSize(1);

            Matcher dev = Pattern.compile("event=dev_redis_started address=(\\S+)")
                    .matcher(server.awaitLine("event=dev_redis_started", Duration.ofSeconds(5)));
            assertThat(dev.find()).isTrue();
            Matcher key = Pattern.compile("event=code_hash_key role=current fingerprint=(\\S+)")
                    .matcher(server.awaitLine("event=code_hash_key role=current", Duration.ofSeconds(5)));
            assertThat(key.find()).isTrue();
            assertThat(config).contains(" version=" + Version.current() + " ", " redis_mode=embedded ",
                    " redis_address=" + dev.group(1) + " ", " redis_key_prefix=ops: ",
                    " gateway_session_key_prefix=gateway:session: ", " gateway_session_events_stream=gateway:session_events ",
                    " user_service=stub ", " mail_service=stub ", " internal_api_token=set ",
                    " code_hash_key=" + key.group(1) + " ", " telemetry=off");
            assertThat(config).doesNotContain(TOKEN, KEY);

            send(server.listenerPort("public"), "quiet@example.com");
            server.awaitLine("event=http_request listener=public", Duration.ofSeconds(10));
            assertThat(server.stdout()).noneMatch(line -> line.contains("event=send_email_code"))
                    .noneMatch(line -> line.contains("event=telemetry_enabled"));
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    @DisplayName("at AUTHSESSION_LOG_LEVEL=debug each send logs its challenge_id and delivery, and lines in a request carry its trace id")
    void debugSendLines() throws Exception {
        try (ServerProcess server = ServerProcess.fromClasspath(env("AUTHSESSION_LOG_LEVEL", "debug",
                "AUTHSESSION_SEND_ANSWER_TIME", "20ms"), "--dev")) {
            int port = server.listenerPort("public");
            String first = send(port, "Debug.Me@example.com", "traceparent", TRACEPARENT);
            String second = send(port, "debug.me@example.com");
            String sent = server.awaitLine("event=send_email_code challenge_id=" + first, Duration.ofSeconds(10));
            String throttled = server.awaitLine("event=send_email_code challenge_id=" + second, Duration.ofSeconds(10));
            assertThat(sent).contains("DEBUG", "event=send_email_code", "delivery=sent", "trace_id=" + TRACE_ID);
            assertThat(throttled).contains("event=send_email_code", "delivery=delivery_throttled")
                    .doesNotContain(TRACE_ID);
            String access = server.awaitLine("trace_id=" + TRACE_ID + " span_id=", Duration.ofSeconds(10));
            assertThat(server.stdout()).filteredOn(line -> line.contains("event=http_request")
                    && line.contains("trace_id=" + TRACE_ID)).hasSize(1);
            assertThat(access).isNotNull();
            assertThat(server.stdout()).filteredOn(line -> line.contains("event=send_email_code"))
                    .noneMatch(line -> line.toLowerCase(java.util.Locale.ROOT).contains("debug.me@example.com"));
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    @DisplayName("OTEL_SDK_DISABLED=true wires no SDK and logs no telemetry_enabled, whatever else is set")
    void sdkDisabled() throws Exception {
        try (ServerProcess server = ServerProcess.fromClasspath(env("OTEL_SDK_DISABLED", "true",
                "OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9"), "--dev")) {
            assertThat(server.awaitLine("event=config", Duration.ofSeconds(60))).contains(" telemetry=off");
            assertThat(server.stdout()).noneMatch(line -> line.contains("telemetry_enabled"));
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.stdout()).noneMatch(line -> line.contains("telemetry_enabled"));
        }
    }

    @Test
    @DisplayName("an unknown AUTHSESSION_LOG_LEVEL exits 2 with one line naming the variable")
    void invalidLevel() throws Exception {
        try (ServerProcess process = ServerProcess.fromClasspath(env("AUTHSESSION_LOG_LEVEL", "loud"), "--dev")) {
            assertThat(process.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(process.stderr()).singleElement().asString()
                    .startsWith("authsession: invalid configuration: AUTHSESSION_LOG_LEVEL: ");
        }
    }
}
