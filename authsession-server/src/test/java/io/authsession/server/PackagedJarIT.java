package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar in {@code --dev}, as the README's run command starts it: no Redis installed, no other service.
 * Runs after {@code package} (failsafe).
 */
class PackagedJarIT {
    private static final Path JAR = Path.of("target", "authsession-server.jar");
    private static final Pattern STUB_MAIL = Pattern.compile("challenge_id=(\\S+) code=(\\d{6})");

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("--dev serves the smoke pair and a whole login on a machine with nothing but a JDK, then stops cleanly")
    void devMode() throws Exception {
        assertThat(JAR).exists();
        Map<String, String> env = Map.of(
                "AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:0",
                "AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:0");
        try (ServerProcess server = ServerProcess.fromJar(JAR, env, "--dev")) {
            int publicPort = server.listenerPort("public");
            int internalPort = server.listenerPort("internal");

            HttpResponse<String> malformed = post(publicPort, "/api/v1/public/auth/send-email-code", "{\"email\":\"x\"}");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("\"code\":\"invalid_request\"");
            HttpResponse<String> unknown = get(internalPort, "/api/v1/internal/users/unknown/sessions");
            assertThat(unknown.statusCode()).isEqualTo(200);
            assertThat(unknown.body()).isEqualTo("{\"user_id\":\"unknown\",\"sessions\":[]}");

            assertThat(post(publicPort, "/api/v1/public/auth/send-email-code", "{\"email\":\"dev@example.com\"}")
                    .statusCode()).isEqualTo(200);
            Matcher mail = STUB_MAIL.matcher(server.awaitLine("event=stub_mail email=dev@example.com", Duration.ofSeconds(10)));
            assertThat(mail.find()).isTrue();
            HttpResponse<String> confirmed = post(publicPort, "/api/v1/public/auth/confirm-email-code",
                    "{\"challenge_id\":\"" + mail.group(1) + "\",\"code\":\"" + mail.group(2) + "\"}");
            assertThat(confirmed.statusCode()).isEqualTo(200);
            JsonObject login = JsonParser.parseString(confirmed.body()).getAsJsonObject();
            HttpResponse<String> listed = get(internalPort,
                    "/api/v1/internal/users/" + login.get("user_id").getAsString() + "/sessions");
            assertThat(listed.body()).contains(login.get("device_session_id").getAsString());

            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(server.stdout()).anyMatch(line -> line.contains("public HTTP listener stopped"));
            assertThat(server.stdout()).filteredOn(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                    .allMatch(line -> line.contains("event=dev_mode") || line.contains("event=code_hash_key_generated")
                            || line.contains("event=stub_mode") || line.contains("event=internal_api_open")
                            // on a host whose ulimit -n is below what two full listeners need
                            || line.contains("event=http_max_connections_lowered"));
            assertThat(server.stderr()).isEmpty();
            assertThat(Files.size(JAR)).isPositive();
        }
    }
}
