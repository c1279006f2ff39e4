package io.authsession.rest;

import static io.authsession.rest.TestHttp.json;
import static io.authsession.rest.TestHttp.takeExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.UserDirectory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RestClientsTest {
    private static final EmailAddress EMAIL = EmailAddress.parse("ada@example.com");

    @Nested
    @DisplayName("base URLs")
    class BaseUrls {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "ftp://users.internal/          | userServiceBaseUrl: must use http or https",
            "file:///etc/passwd             | userServiceBaseUrl: must use http or https",
            "http://users.internal/?x=1     | userServiceBaseUrl: must not have a query",
            "http://users.internal/?        | userServiceBaseUrl: must not have a query",
            "http://users.internal/#top     | userServiceBaseUrl: must not have a fragment",
            "garbage                        | userServiceBaseUrl: must be an absolute http or https URL",
            "/users-svc/                    | userServiceBaseUrl: must be an absolute http or https URL",
            "mailto:ops@example.com         | userServiceBaseUrl: must be an absolute http or https URL",
            "http:///users-svc/             | userServiceBaseUrl: must name a host",
            "http://user:secret@users.internal/ | userServiceBaseUrl: must not contain user info",
        })
        @DisplayName("an invalid base URL is refused with a message naming the setting and the rule")
        void invalid(String url, String message) {
            assertThatThrownBy(() -> RestClients.builder().userServiceBaseUrl(URI.create(url)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @Test
        @DisplayName("the mail service's base URL follows the same rules under its own name")
        void mailInvalid() {
            assertThatThrownBy(() -> RestClients.builder().mailServiceBaseUrl(URI.create("ftp://mail.internal/")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("mailServiceBaseUrl: must use http or https");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "http://users.internal",
            "HTTPS://Users.Internal:8443/users-svc/",
            "http://user_service:8080/",
            "http://10.0.0.7:8080/a/b",
            "http://[::1]:8080/",
        })
        @DisplayName("http and https URLs with a host, a port and a path prefix are accepted")
        void valid(String url) {
            assertThatCode(() -> RestClients.builder().userServiceBaseUrl(URI.create(url))
                    .userServiceRequestTimeout(Duration.ofSeconds(1)).build().close())
                    .doesNotThrowAnyException();
        }
    }

    @Nested
    @DisplayName("settings")
    class Settings {
        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "PT0S, userServiceRequestTimeout: must be at least 1ms",
            "PT-1S, userServiceRequestTimeout: must be at least 1ms",
            "PT0.0005S, userServiceRequestTimeout: must be at least 1ms",
            "PT25H, userServiceRequestTimeout: must be at most 24h",
        })
        @DisplayName("a request timeout outside 1ms to 24h is refused")
        void badTimeout(String timeout, String message) {
            assertThatThrownBy(() -> RestClients.builder().userServiceRequestTimeout(Duration.parse(timeout)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @Test
        @DisplayName("a negative retry pause is refused")
        void badPause() {
            assertThatThrownBy(() -> RestClients.builder().retryPause(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("retryPause: must not be negative");
        }

        @Test
        @DisplayName("a base URL without its timeout fails the build, naming the missing setting")
        void missingTimeout() {
            assertThatThrownBy(() -> RestClients.builder()
                    .userServiceBaseUrl(URI.create("http://users.internal/"))
                    .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("userServiceRequestTimeout is required when userServiceBaseUrl is set");
        }

        @Test
        @DisplayName("a timeout without its base URL fails the build, naming the missing setting")
        void missingBaseUrl() {
            assertThatThrownBy(() -> RestClients.builder()
                    .userServiceBaseUrl(URI.create("http://users.internal/"))
                    .userServiceRequestTimeout(Duration.ofSeconds(1))
                    .mailServiceRequestTimeout(Duration.ofSeconds(1))
                    .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("mailServiceBaseUrl is required when mailServiceRequestTimeout is set");
        }

        @Test
        @DisplayName("a builder with no service at all fails the build")
        void nothing() {
            assertThatThrownBy(() -> RestClients.builder().build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("userServiceBaseUrl or mailServiceBaseUrl");
        }

        @Test
        @DisplayName("only the configured services get a client, so the other one can stay a stub")
        void onlyConfigured() {
            try (RestClients mailOnly = RestClients.builder()
                    .mailServiceBaseUrl(URI.create("http://mail.internal/"))
                    .mailServiceRequestTimeout(Duration.ofSeconds(1))
                    .build()) {
                assertThat(mailOnly.mailSender()).isPresent();
                assertThat(mailOnly.userDirectory()).isEmpty();
            }
            try (RestClients usersOnly = RestClients.builder()
                    .userServiceBaseUrl(URI.create("http://users.internal/"))
                    .userServiceRequestTimeout(Duration.ofSeconds(1))
                    .build()) {
                assertThat(usersOnly.userDirectory()).isPresent();
                assertThat(usersOnly.mailSender()).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("closing")
    class Closing {
        @Test
        @DisplayName("after close, both clients fail without sending anything; closing again is harmless")
        void callsAfterClose() throws Exception {
            try (MockWebServer server = TestHttp.startedServer()) {
                RestClients rest = RestClients.builder()
                        .userServiceBaseUrl(TestHttp.baseUrl(server, "/"))
                        .userServiceRequestTimeout(Duration.ofSeconds(5))
                        .mailServiceBaseUrl(TestHttp.baseUrl(server, "/"))
                        .mailServiceRequestTimeout(Duration.ofSeconds(5))
                        .build();
                server.enqueue(json(200, "{\"status\":\"creatable\"}"));
                rest.userDirectory().orElseThrow().resolveByEmail(EMAIL);
                takeExactly(server, 1);

                rest.close();
                rest.close();

                assertThatThrownBy(() -> rest.userDirectory().orElseThrow().resolveByEmail(EMAIL))
                        .isInstanceOf(DependencyUnavailableException.class)
                        .hasMessageContaining("closed");
                assertThatThrownBy(() -> rest.mailSender().orElseThrow().sendLoginCode(new LoginCodeMail(EMAIL,
                        "042917", "c1", Instant.parse("2026-11-22T10:15:30Z"))))
                        .isInstanceOf(DependencyUnavailableException.class);
                takeExactly(server, 0);
            }
        }

        @Test
        @DisplayName("close cancels a call that is waiting on a slow service, so a shutdown does not wait for it")
        void closeCancels() throws Exception {
            try (MockWebServer server = TestHttp.startedServer()) {
                RestClients rest = RestClients.builder()
                        .userServiceBaseUrl(TestHttp.baseUrl(server, "/"))
                        .userServiceRequestTimeout(Duration.ofSeconds(20))
                        .build();
                UserDirectory directory = rest.userDirectory().orElseThrow();
                server.enqueue(TestHttp.slow("{\"status\":\"creatable\"}"));
                server.enqueue(TestHttp.slow("{\"status\":\"creatable\"}"));
                CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> directory.resolveByEmail(EMAIL));
                assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();

                long start = System.nanoTime();
                rest.close();
                assertThatThrownBy(() -> call.get(3, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(DependencyUnavailableException.class);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000L);
                // Cancelled by close: the read is not retried.
                takeExactly(server, 0);
            }
        }
    }
}
