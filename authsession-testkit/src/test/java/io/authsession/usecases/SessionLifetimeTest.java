package io.authsession.usecases;

import static io.authsession.usecases.Errors.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.ErrorCode;
import io.authsession.testkit.AuthSessionFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** CONTRACT §3.1: the absolute cap, the idle timeout with extend, the expired status. */
class SessionLifetimeTest {
    private static final String EMAIL = "user@example.com";

    private final AuthSessionFixture f = AuthSessionFixture.create();

    @BeforeEach
    void noResendWindow() {
        f.config().set(Setting.RESEND_COOLDOWN, "0");
    }

    private DeviceSession session(ConfirmedLogin login) {
        return f.auth().findSession(login.deviceSessionId()).orElseThrow();
    }

    @Nested
    @DisplayName("at creation")
    class Creation {
        @Test
        @DisplayName("by default a session expires 720h after its creation")
        void defaultCap() {
            DeviceSession session = session(f.login(EMAIL));
            assertThat(session.expiresAt()).contains(session.createdAt().plus(Duration.ofHours(720)));
        }

        @Test
        @DisplayName("with an idle timeout, the earlier of the two ends applies")
        void earlierOfBoth() {
            f.config().set(Setting.SESSION_IDLE_TIMEOUT, "8h");
            DeviceSession session = session(f.login(EMAIL));
            assertThat(session.expiresAt()).contains(session.createdAt().plus(Duration.ofHours(8)));
            assertThat(session.lifetimeCap()).contains(session.createdAt().plus(Duration.ofHours(720)));
        }

        @Test
        @DisplayName("with both settings off, a session has no expires_at and never expires")
        void none() {
            f.config().set(Setting.SESSION_MAX_LIFETIME, "0");
            ConfirmedLogin login = f.login(EMAIL);
            assertThat(session(login).expiresAt()).isEmpty();
            f.clock().advance(Duration.ofDays(3650));
            assertThat(session(login).status()).isEqualTo(SessionStatus.ACTIVE);
        }

        @Test
        @DisplayName("a change of the settings applies to new sessions only, never to an existing one's cap")
        void changesApplyToNewSessions() {
            f.config().set(Setting.SESSION_MAX_LIFETIME, "24h");
            ConfirmedLogin first = f.login(EMAIL);
            f.config().set(Setting.SESSION_MAX_LIFETIME, "1h");
            ConfirmedLogin second = f.login(EMAIL);
            assertThat(session(first).expiresAt()).contains(session(first).createdAt().plus(Duration.ofHours(24)));
            assertThat(session(second).expiresAt()).contains(session(second).createdAt().plus(Duration.ofHours(1)));
        }
    }

    @Nested
    @DisplayName("expiry")
    class Expiry {
        @Test
        @DisplayName("past expires_at a session is expired: listed as such, not active, and revoke-all skips it")
        void expired() {
            f.config().set(Setting.SESSION_MAX_LIFETIME, "1h");
            ConfirmedLogin login = f.login(EMAIL);
            f.clock().advance(Duration.ofHours(1));
            assertThat(session(login).status()).isEqualTo(SessionStatus.EXPIRED);
            assertThat(f.auth().listSessions(login.userId(), Optional.of(SessionStatus.EXPIRED)))
                    .extracting(DeviceSession::id).containsExactly(login.deviceSessionId());
            assertThat(f.auth().listSessions(login.userId(), Optional.of(SessionStatus.ACTIVE))).isEmpty();
            assertThat(f.auth().revokeAllSessions(login.userId(), Optional.empty())).isZero();
        }

        @Test
        @DisplayName("revoking an expired session answers it unchanged and publishes nothing (no event at expiry)")
        void revokeExpired() {
            f.config().set(Setting.SESSION_MAX_LIFETIME, "1h");
            ConfirmedLogin login = f.login(EMAIL);
            int events = f.projection().events().size();
            f.clock().advance(Duration.ofHours(2));
            DeviceSession answer = f.auth().revokeSession(login.deviceSessionId(), Optional.empty());
            assertThat(answer.status()).isEqualTo(SessionStatus.EXPIRED);
            assertThat(answer.revision()).isEqualTo(1);
            assertThat(f.projection().events()).hasSize(events);
        }

        @Test
        @DisplayName("expired sessions do not count towards the session limit")
        void limit() {
            f.config().set(Setting.SESSION_MAX_LIFETIME, "1h").set(Setting.MAX_ACTIVE_SESSIONS_PER_USER, "1");
            ConfirmedLogin old = f.login(EMAIL);
            f.clock().advance(Duration.ofHours(2));
            f.login(EMAIL);
            assertThat(session(old).status()).isEqualTo(SessionStatus.EXPIRED);
        }
    }

    @Nested
    @DisplayName("extend")
    class Extend {
        @BeforeEach
        void idleTimeout() {
            f.config().set(Setting.SESSION_IDLE_TIMEOUT, "1h").set(Setting.SESSION_MAX_LIFETIME, "3h");
        }

        @Test
        @DisplayName("moves expires_at to now plus the idle timeout, one revision later, and projects it")
        void moves() {
            ConfirmedLogin login = f.login(EMAIL);
            f.clock().advance(Duration.ofMinutes(30));
            DeviceSession extended = f.auth().extendSession(login.deviceSessionId());
            assertThat(extended.expiresAt()).contains(f.clock().instant().plus(Duration.ofHours(1)));
            assertThat(extended.revision()).isEqualTo(2);
            assertThat(f.projection().events()).last().satisfies(event -> {
                assertThat(event.revision()).isEqualTo(2);
                assertThat(event.snapshot()).contains("\"expires_at\":\"2026-11-22T11:30:00.000Z\"");
            });
        }

        @Test
        @DisplayName("under a minute nothing changes and nothing is published, so a gateway may call it on every request")
        void underAMinute() {
            ConfirmedLogin login = f.login(EMAIL);
            int events = f.projection().events().size();
            f.clock().advance(Duration.ofSeconds(30));
            DeviceSession same = f.auth().extendSession(login.deviceSessionId());
            assertThat(same.revision()).isEqualTo(1);
            assertThat(f.projection().events()).hasSize(events);
        }

        @Test
        @DisplayName("never passes the cap fixed at creation, even after the settings change")
        void cap() {
            ConfirmedLogin login = f.login(EMAIL);
            Instant cap = session(login).createdAt().plus(Duration.ofHours(3));
            f.config().set(Setting.SESSION_MAX_LIFETIME, "100h").set(Setting.SESSION_IDLE_TIMEOUT, "10h");
            f.clock().advance(Duration.ofMinutes(50));
            assertThat(f.auth().extendSession(login.deviceSessionId()).expiresAt()).contains(cap);
        }

        @Test
        @DisplayName("a revoked or expired session is session_inactive; an unknown one session_not_found")
        void inactive() {
            ConfirmedLogin revoked = f.login(EMAIL);
            f.auth().revokeSession(revoked.deviceSessionId(), Optional.empty());
            assertFailsWith(ErrorCode.SESSION_INACTIVE, () -> f.auth().extendSession(revoked.deviceSessionId()));
            ConfirmedLogin expired = f.login(EMAIL);
            f.clock().advance(Duration.ofHours(1));
            assertFailsWith(ErrorCode.SESSION_INACTIVE, () -> f.auth().extendSession(expired.deviceSessionId()));
            assertFailsWith(ErrorCode.SESSION_NOT_FOUND, () -> f.auth().extendSession("nope"));
            assertFailsWith(ErrorCode.INVALID_REQUEST, () -> f.auth().extendSession(""));
        }

        @Test
        @DisplayName("a failed projection of an extension is service_unavailable; extending again repairs it")
        void repair() {
            ConfirmedLogin login = f.login(EMAIL);
            f.clock().advance(Duration.ofMinutes(30));
            f.projection().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> f.auth().extendSession(login.deviceSessionId()));
            f.clock().advance(Duration.ofMinutes(5));
            DeviceSession extended = f.auth().extendSession(login.deviceSessionId());
            assertThat(f.projection().snapshot(login.deviceSessionId())).get().asString()
                    .contains("\"revision\":" + extended.revision());
        }
    }

    @Nested
    @DisplayName("lost records")
    class Lost {
        @Test
        @DisplayName("a record lost behind the service's back disappears from listings and revoke-all")
        void lost() {
            ConfirmedLogin kept = f.login(EMAIL);
            ConfirmedLogin lost = f.login(EMAIL);
            f.sessions().loseRecord(lost.deviceSessionId());
            assertThat(f.auth().listSessions(kept.userId(), Optional.empty())).extracting(DeviceSession::id)
                    .containsExactly(kept.deviceSessionId());
            assertThat(f.auth().revokeAllSessions(kept.userId(), Optional.empty())).isEqualTo(1);
        }
    }
}
