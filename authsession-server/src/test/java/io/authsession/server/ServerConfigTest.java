package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {

    @Test
    @DisplayName("with no variable set, every default of the contract applies")
    void defaults() throws Exception {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of(), false);
        assertThat(config.publicAddress()).isEqualTo(new ListenAddress("0.0.0.0", 8080));
        assertThat(config.internalAddress()).isEqualTo(new ListenAddress("0.0.0.0", 8081));
        assertThat(config.internalApiToken()).isEmpty();
        assertThat(config.codeHashKey()).isEmpty();
        assertThat(config.confirmIdempotencyWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.challengeExpiredRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(config.revokedSessionRetention()).isEqualTo(Duration.ofHours(720));
        assertThat(config.userService()).isEmpty();
        assertThat(config.mailService()).isEmpty();
        assertThat(config.redis().host()).isEqualTo("127.0.0.1");
        assertThat(config.redis().port()).isEqualTo(6379);
        assertThat(config.redis().keyPrefix()).isEqualTo("authsession:");
        assertThat(config.redis().gatewaySessionKeyPrefix()).isEqualTo("gateway:session:");
        assertThat(config.redis().gatewayEventsStream()).isEqualTo("gateway:session_events");
        assertThat(config.redis().gatewayEventsMaxLength()).isEqualTo(100_000);
        assertThat(config.startupCheckTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.httpMaxConnections()).isEqualTo(1000);
    }

    @Test
    @DisplayName("every variable is read")
    void everything() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:0");
        env.put("AUTHSESSION_INTERNAL_HTTP_ADDR", "[::1]:9091");
        env.put("AUTHSESSION_INTERNAL_API_TOKEN", "t");
        env.put("AUTHSESSION_CODE_HASH_KEY", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=");
        env.put("AUTHSESSION_CODE_HASH_KEY_PREVIOUS", "WllYV1ZVVFNSUVBPTk1MS0pJSEdGRURDQkFhYmNkZWY=");
        env.put("AUTHSESSION_CONFIRM_IDEMPOTENCY_WINDOW", "2m");
        env.put("AUTHSESSION_CHALLENGE_EXPIRED_RETENTION", "30m");
        env.put("AUTHSESSION_REVOKED_SESSION_RETENTION", "24h");
        env.put("AUTHSESSION_USER_SERVICE_MODE", "REST");
        env.put("AUTHSESSION_USER_SERVICE_BASE_URL", "https://users.internal/svc/");
        env.put("AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT", "1500ms");
        env.put("AUTHSESSION_REDIS_ADDR", "redis.internal:6380");
        env.put("AUTHSESSION_REDIS_USERNAME", "authsession");
        env.put("AUTHSESSION_REDIS_PASSWORD", "pw");
        env.put("AUTHSESSION_REDIS_DB", "4");
        env.put("AUTHSESSION_REDIS_TLS", "true");
        env.put("AUTHSESSION_REDIS_KEY_PREFIX", "as:");
        env.put("AUTHSESSION_GATEWAY_SESSION_EVENTS_MAXLEN", "500");
        env.put("AUTHSESSION_CHALLENGE_TTL", "5m");
        env.put("AUTHSESSION_HTTP_MAX_CONNECTIONS", "250");
        env.put("AUTHSESSION_TYPO_VARIABLE", "x");
        ServerConfig config = ServerConfig.fromEnvironment(env, false);
        assertThat(config.httpMaxConnections()).isEqualTo(250);
        assertThat(config.internalAddress()).isEqualTo(new ListenAddress("::1", 9091));
        assertThat(config.codeHashKey()).isPresent();
        assertThat(config.previousCodeHashKey()).isPresent();
        assertThat(config.userService()).get().extracting(ServerConfig.RestService::requestTimeout)
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(config.mailService()).isEmpty();
        assertThat(config.redis().toString()).contains("redis.internal:6380", "database=4", "tls=true")
                .doesNotContain("pw");
        assertThat(config.runtimeDefaults().challengeTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.unknownVariables()).containsExactly("AUTHSESSION_TYPO_VARIABLE");
    }

    @Test
    @DisplayName("--dev uses the stubs whatever the modes say")
    void dev() throws Exception {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("AUTHSESSION_USER_SERVICE_MODE", "rest",
                "AUTHSESSION_MAIL_SERVICE_MODE", "rest"), true);
        assertThat(config.userService()).isEmpty();
        assertThat(config.mailService()).isEmpty();
        assertThat(config.dev()).isTrue();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "AUTHSESSION_PUBLIC_HTTP_ADDR          | 8080             | is not host:port",
        "AUTHSESSION_INTERNAL_HTTP_ADDR        | :99999           | between 0 and 65535",
        "AUTHSESSION_INTERNAL_HTTP_ADDR        | :http            | no numeric port",
        "AUTHSESSION_CHALLENGE_TTL             | 10               | not a duration",
        "AUTHSESSION_CHALLENGE_TTL             | 0s               | must be longer than zero",
        "AUTHSESSION_RESEND_COOLDOWN           | -1s              | not a duration",
        "AUTHSESSION_CHALLENGE_MAX_ATTEMPTS    | five             | not a whole number",
        "AUTHSESSION_MAX_ACTIVE_SESSIONS_PER_USER | -2            | must not be negative",
        "AUTHSESSION_CONFIRM_IDEMPOTENCY_WINDOW | 5 minutes       | not a duration",
        "AUTHSESSION_CHALLENGE_EXPIRED_RETENTION | 0              | longer than zero",
        "AUTHSESSION_REVOKED_SESSION_RETENTION | 1m               | must be longer than AUTHSESSION_CONFIRM_IDEMPOTENCY_WINDOW",
        "AUTHSESSION_USER_SERVICE_MODE         | grpc             | must be stub or rest",
        "AUTHSESSION_MAIL_SERVICE_MODE         | Rest-ish         | must be stub or rest",
        "AUTHSESSION_CODE_HASH_KEY             | not base64!!     | not valid base64",
        "AUTHSESSION_CODE_HASH_KEY             | c2hvcnQ=         | at least 32 bytes",
        "AUTHSESSION_CODE_HASH_KEY_PREVIOUS    | c2hvcnQ=         | at least 32 bytes",
        "AUTHSESSION_REDIS_ADDR                | localhost        | is not host:port",
        "AUTHSESSION_REDIS_DB                  | -1               | at least 0",
        "AUTHSESSION_REDIS_DB                  | one              | not a whole number",
        "AUTHSESSION_REDIS_TLS                 | yes              | must be true or false",
        "AUTHSESSION_GATEWAY_SESSION_EVENTS_MAXLEN | 0            | at least 1",
        "AUTHSESSION_STARTUP_CHECK_TIMEOUT     | soon             | not a duration",
        "AUTHSESSION_SHUTDOWN_TIMEOUT          | 0s               | longer than zero",
        "AUTHSESSION_SHUTDOWN_TIMEOUT          | 3000000h         | too long",
        "AUTHSESSION_CHALLENGE_TTL             | 0.5ns            | finer than a nanosecond",
        "AUTHSESSION_REDIS_DB                  | 9999999999       | must be at most 2147483647",
        "AUTHSESSION_HTTP_MAX_CONNECTIONS      | 0                | must be at least 1, got 0",
        "AUTHSESSION_HTTP_MAX_CONNECTIONS      | many             | not a whole number",
        "AUTHSESSION_HTTP_MAX_CONNECTIONS      | 2000000          | must be at most 1000000",
    })
    @DisplayName("an invalid value is refused with a message that starts with the variable's name")
    void invalid(String variable, String value, String problem) {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(variable, value), false))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(variable + ": ")
                .hasMessageContaining(problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rest mode without a URL    | AUTHSESSION_USER_SERVICE_BASE_URL: is required when AUTHSESSION_USER_SERVICE_MODE=rest || ",
        "rest mode without a timeout | AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT: is required | http://users:8080 | ",
        "an ftp URL                 | AUTHSESSION_USER_SERVICE_BASE_URL: must use http or https | ftp://users | 1s",
        "a URL with a query         | AUTHSESSION_USER_SERVICE_BASE_URL: must not have a query | http://users/?x=1 | 1s",
        "a bad timeout              | AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT: | http://users | 1 second",
        "a timeout over a day       | AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT: must be at most 24h | http://users | 25h",
        "user info in the URL       | AUTHSESSION_USER_SERVICE_BASE_URL: must not contain user info | http://me:s3cr3t@users | 1s",
        "a URL without host         | AUTHSESSION_USER_SERVICE_BASE_URL: must name a host | http:///path | 1s",
    })
    @DisplayName("rest mode needs a valid base URL and a request timeout; the URL is never repeated")
    void restMode(String description, String message, String url, String timeout) {
        Map<String, String> env = new HashMap<>(Map.of("AUTHSESSION_USER_SERVICE_MODE", "rest"));
        if (url != null) {
            env.put("AUTHSESSION_USER_SERVICE_BASE_URL", url);
        }
        if (timeout != null) {
            env.put("AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT", timeout);
        }
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env, false)).hasMessageStartingWith(message)
                .message().doesNotContain("s3cr3t");
    }

    @Test
    @DisplayName("a container host name with an underscore is a valid base URL, and empty variables are unset")
    void underscoreHost() throws Exception {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("AUTHSESSION_MAIL_SERVICE_MODE", "rest",
                "AUTHSESSION_MAIL_SERVICE_BASE_URL", "http://mail_service:8080/",
                "AUTHSESSION_MAIL_SERVICE_REQUEST_TIMEOUT", "2s", "AUTHSESSION_CHALLENGE_TTL", ""), false);
        assertThat(config.mailService()).get().extracting(ServerConfig.RestService::baseUrl).asString()
                .isEqualTo("http://mail_service:8080/");
        assertThat(config.runtimeDefaults().challengeTtl()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    @DisplayName("an invalid key is never repeated in the error")
    void keyNotEchoed() {
        String secretish = "c2VjcmV0LXNlY3JldC1zZWNyZXQ";
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("AUTHSESSION_CODE_HASH_KEY", secretish), false))
                .message().doesNotContain(secretish);
    }
}
