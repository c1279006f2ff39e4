package io.authsession.usecases;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.AuthSession;
import io.authsession.testkit.AuthSessionFixture;
import io.authsession.testkit.InMemoryConfigProvider;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AuthSessionBuilderTest {

    @Test
    @DisplayName("building without ports names every missing one")
    void missingPorts() {
        assertThatThrownBy(() -> AuthSession.builder().configProvider(new InMemoryConfigProvider()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("AuthSession.builder() is missing challengeStore, sessionStore, userDirectory, mailSender, "
                        + "projectionPublisher, resendThrottle, codeHashKey");
    }

    @Test
    @DisplayName("a revoked-session retention not longer than the idempotency window is refused")
    void retentionVersusWindow() {
        assertThatThrownBy(() -> AuthSessionFixture.create(builder -> builder
                .confirmIdempotencyWindow(Duration.ofMinutes(5)).revokedSessionRetention(Duration.ofMinutes(5))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be longer than confirmIdempotencyWindow");
    }

    @Test
    @DisplayName("zero or negative durations are refused")
    void nonPositive() {
        assertThatThrownBy(() -> AuthSession.builder().challengeExpiredRetention(Duration.ZERO))
                .hasMessage("challengeExpiredRetention must be positive");
        assertThatThrownBy(() -> AuthSession.builder().confirmIdempotencyWindow(Duration.ofSeconds(-1)))
                .hasMessage("confirmIdempotencyWindow must be positive");
    }
}
