package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.testkit.MutableClock;
import io.authsession.testkit.RedisTestServer;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The composition root on its own: no listener, no thread, the clock the test moves. */
class AssemblyTest {
    private final FakeServices services = new FakeServices();
    private final MutableClock clock = MutableClock.create();
    private Assembly assembly;

    @AfterEach
    void close() {
        if (assembly != null) {
            assembly.closers().forEach(closer -> closer.run().run());
        }
        services.close();
    }

    private Assembly build() throws Exception {
        return build(Map.of());
    }

    private Assembly build(Map<String, String> overrides) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(TestServer.environment(RedisTestServer.shared(), services,
                "asm-" + UUID.randomUUID() + ":"));
        env.putAll(overrides);
        assembly = Assembly.build(ServerConfig.fromEnvironment(env, false), clock, Assembly.Storage.CONFIGURED,
                OpenTelemetry.noop());
        return assembly;
    }

    @Test
    @DisplayName("names the startup checks of CONTRACT §8 in order, and closes HTTP clients before Redis")
    void checksAndClosers() throws Exception {
        Assembly built = build();
        assertThat(built.startupChecks()).extracting(Assembly.Step::component).containsExactly("challenge_store",
                "session_store", "config_provider", "projection_publisher", "resend_throttle");
        assertThat(built.reachabilityChecks()).extracting(Assembly.Step::component)
                .containsExactly("user_service", "mail_service");
        assertThat(built.closers()).extracting(Assembly.Step::component).containsExactly("http_clients", "redis");
        built.startupChecks().forEach(check -> check.run().run());
    }

    @Test
    @DisplayName("with a send answer time, the delivery pool closes first, so deliveries in flight end before their"
            + " HTTP clients close")
    void deliveryPoolClosesFirst() throws Exception {
        Assembly built = build(Map.of("AUTHSESSION_SEND_ANSWER_TIME", "50ms"));
        assertThat(built.closers()).extracting(Assembly.Step::component)
                .containsExactly("send_delivery", "http_clients", "redis");
        String challengeId = built.auth().sendEmailCodeAsync("timed@example.com").get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(services.codeFor(challengeId)).hasSize(6);
    }

    @Test
    @DisplayName("the facade runs on the given clock: a code expires when the test moves the clock past its TTL")
    void clock() throws Exception {
        Assembly built = build();
        String challengeId = built.auth().sendEmailCode("clock@example.com");
        String code = services.codeFor(challengeId);
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> built.auth().confirmEmailCode(ConfirmRequest.of(challengeId, code)))
                .isInstanceOfSatisfying(AuthSessionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CHALLENGE_EXPIRED));
    }
}
