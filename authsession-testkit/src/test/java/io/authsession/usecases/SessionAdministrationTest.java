package io.authsession.usecases;

import static io.authsession.usecases.Errors.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.wire.DeviceSessionJson;
import io.authsession.testkit.AuthSessionFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SessionAdministrationTest {
    private static final String EMAIL = "user@example.com";

    private final AuthSessionFixture f = AuthSessionFixture.create();

    @BeforeEach
    void noCooldown() {
        f.config().set(Setting.RESEND_COOLDOWN, "0");
    }

    private ConfirmedLogin loginThenTick() {
        ConfirmedLogin login = f.login(EMAIL);
        f.clock().advance(Duration.ofSeconds(1));
        return login;
    }

    private DeviceSession stored(String sessionId) {
        return f.sessions().find(sessionId).orElseThrow();
    }

    @Nested
    @DisplayName("list and get")
    class ListAndGet {
        @Test
        @DisplayName("sessions are listed newest first and filtered by status")
        void list() {
            ConfirmedLogin a = loginThenTick();
            ConfirmedLogin b = loginThenTick();
            ConfirmedLogin c = loginThenTick();
            f.auth().revokeSession(b.deviceSessionId(), Optional.empty());

            assertThat(f.auth().listSessions(a.userId(), Optional.empty())).extracting(DeviceSession::id)
                    .containsExactly(c.deviceSessionId(), b.deviceSessionId(), a.deviceSessionId());
            assertThat(f.auth().listSessions(a.userId(), Optional.of(SessionStatus.ACTIVE))).extracting(DeviceSession::id)
                    .containsExactly(c.deviceSessionId(), a.deviceSessionId());
            assertThat(f.auth().listSessions(a.userId(), Optional.of(SessionStatus.REVOKED))).extracting(DeviceSession::id)
                    .containsExactly(b.deviceSessionId());
        }

        @Test
        @DisplayName("an unknown user has an empty list")
        void unknownUser() {
            assertThat(f.auth().listSessions("nobody", Optional.empty())).isEmpty();
        }

        @Test
        @DisplayName("a session is found by id; an unknown id is empty")
        void get() {
            ConfirmedLogin login = f.login(EMAIL);
            assertThat(f.auth().findSession(login.deviceSessionId())).contains(stored(login.deviceSessionId()));
            assertThat(f.auth().findSession("unknown")).isEmpty();
        }

        @Test
        @DisplayName("identifiers must be 1 to 128 characters without control characters")
        void identifiers() {
            assertFailsWith(ErrorCode.INVALID_REQUEST, () -> f.auth().listSessions("", Optional.empty()));
            assertFailsWith(ErrorCode.INVALID_REQUEST, () -> f.auth().listSessions("u".repeat(129), Optional.empty()));
            assertFailsWith(ErrorCode.INVALID_REQUEST, () -> f.auth().findSession("a\nb"));
            assertThat(f.auth().listSessions("u".repeat(128), Optional.empty())).isEmpty();
        }
    }

    @Nested
    @DisplayName("revoke")
    class Revoke {
        @Test
        @DisplayName("revoking sets status, time, reason and revision, and projects a snapshot that expires after the retention")
        void revokes() {
            ConfirmedLogin login = loginThenTick();
            Instant at = f.clock().instant();
            DeviceSession revoked = f.auth().revokeSession(login.deviceSessionId(), Optional.of("logout"));

            assertThat(revoked.status()).isEqualTo(SessionStatus.REVOKED);
            assertThat(revoked.revokedAt()).contains(at);
            assertThat(revoked.revokeReason()).contains("logout");
            assertThat(revoked.revision()).isEqualTo(2);
            assertThat(stored(login.deviceSessionId())).isEqualTo(revoked);
            assertThat(f.projection().snapshot(login.deviceSessionId())).contains(DeviceSessionJson.write(revoked));
            assertThat(f.projection().snapshotTimeToLive(login.deviceSessionId())).contains(Duration.ofHours(720));
            assertThat(f.projection().events()).hasSize(2);
        }

        @Test
        @DisplayName("the reason defaults to unspecified")
        void defaultReason() {
            ConfirmedLogin login = f.login(EMAIL);
            assertThat(f.auth().revokeSession(login.deviceSessionId(), Optional.empty()).revokeReason())
                    .contains("unspecified");
        }

        @Test
        @DisplayName("revoking again changes nothing and keeps the first time and reason")
        void idempotent() {
            ConfirmedLogin login = loginThenTick();
            DeviceSession first = f.auth().revokeSession(login.deviceSessionId(), Optional.of("logout"));
            f.clock().advance(Duration.ofMinutes(1));
            assertThat(f.auth().revokeSession(login.deviceSessionId(), Optional.of("admin"))).isEqualTo(first);
            assertThat(f.projection().events()).hasSize(2);
        }

        @Test
        @DisplayName("a failed projection is service_unavailable; a retried revoke repairs it")
        void repair() {
            ConfirmedLogin login = f.login(EMAIL);
            f.projection().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE,
                    () -> f.auth().revokeSession(login.deviceSessionId(), Optional.of("logout")));
            assertThat(stored(login.deviceSessionId()).status()).isEqualTo(SessionStatus.REVOKED);
            assertThat(f.projection().snapshot(login.deviceSessionId())).get().asString().contains("\"active\"");

            DeviceSession revoked = f.auth().revokeSession(login.deviceSessionId(), Optional.of("logout"));
            assertThat(f.projection().snapshot(login.deviceSessionId())).contains(DeviceSessionJson.write(revoked));
        }

        @Test
        @DisplayName("an unknown session is session_not_found")
        void unknown() {
            assertFailsWith(ErrorCode.SESSION_NOT_FOUND, () -> f.auth().revokeSession("unknown", Optional.empty()));
        }

        @Test
        @DisplayName("a reason longer than 256 characters, or empty, is invalid_request")
        void reasonRules() {
            ConfirmedLogin login = f.login(EMAIL);
            assertFailsWith(ErrorCode.INVALID_REQUEST,
                    () -> f.auth().revokeSession(login.deviceSessionId(), Optional.of("r".repeat(257))));
            assertFailsWith(ErrorCode.INVALID_REQUEST,
                    () -> f.auth().revokeSession(login.deviceSessionId(), Optional.of("")));
            assertThat(f.auth().revokeSession(login.deviceSessionId(), Optional.of("r".repeat(256))).revokeReason())
                    .contains("r".repeat(256));
        }

        @Test
        @DisplayName("a revoked session stays readable for the retention, then disappears from reads and listings")
        void retention() {
            ConfirmedLogin login = f.login(EMAIL);
            f.auth().revokeSession(login.deviceSessionId(), Optional.empty());
            f.clock().advance(Duration.ofHours(720).minusMillis(1));
            assertThat(f.auth().findSession(login.deviceSessionId())).isPresent();
            f.clock().advance(Duration.ofMillis(1));
            assertThat(f.auth().findSession(login.deviceSessionId())).isEmpty();
            assertThat(f.auth().listSessions(login.userId(), Optional.empty())).isEmpty();
            assertThat(f.projection().snapshot(login.deviceSessionId())).isEmpty();
            assertFailsWith(ErrorCode.SESSION_NOT_FOUND,
                    () -> f.auth().revokeSession(login.deviceSessionId(), Optional.empty()));
        }
    }

    @Nested
    @DisplayName("revoke all")
    class RevokeAll {
        @Test
        @DisplayName("revokes every active session, counts them and projects each")
        void revokesAll() {
            ConfirmedLogin a = loginThenTick();
            ConfirmedLogin b = loginThenTick();
            assertThat(f.auth().revokeAllSessions(a.userId(), Optional.of("password_reset"))).isEqualTo(2);
            for (ConfirmedLogin login : new ConfirmedLogin[] {a, b}) {
                DeviceSession session = stored(login.deviceSessionId());
                assertThat(session.revokeReason()).contains("password_reset");
                assertThat(f.projection().snapshot(login.deviceSessionId())).contains(DeviceSessionJson.write(session));
            }
            assertThat(f.auth().revokeAllSessions(a.userId(), Optional.empty())).isZero();
        }

        @Test
        @DisplayName("an unknown user has nothing to revoke")
        void unknownUser() {
            assertThat(f.auth().revokeAllSessions("nobody", Optional.empty())).isZero();
        }

        @Test
        @DisplayName("a failed projection is service_unavailable; a retry counts 0 but repairs the projection")
        void repair() {
            ConfirmedLogin a = loginThenTick();
            ConfirmedLogin b = loginThenTick();
            f.projection().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> f.auth().revokeAllSessions(a.userId(), Optional.empty()));

            assertThat(f.auth().revokeAllSessions(a.userId(), Optional.empty())).isZero();
            for (ConfirmedLogin login : new ConfirmedLogin[] {a, b}) {
                assertThat(f.projection().snapshot(login.deviceSessionId()))
                        .contains(DeviceSessionJson.write(stored(login.deviceSessionId())));
            }
        }
    }

    @Nested
    @DisplayName("block")
    class Block {
        @Test
        @DisplayName("records the block, revokes every active session as user_blocked, then suppresses sends and refuses confirms")
        void blocks() {
            ConfirmedLogin a = loginThenTick();
            ConfirmedLogin b = loginThenTick();
            String pending = f.auth().sendEmailCode(EMAIL);
            String pendingCode = f.lastCodeFor(EMAIL);

            assertThat(f.auth().blockUser(a.userId(), Optional.of("fraud"))).isEqualTo(2);

            assertThat(f.users().isBlocked(a.userId())).isTrue();
            assertThat(stored(a.deviceSessionId()).revokeReason()).contains("user_blocked");
            assertThat(stored(b.deviceSessionId()).revokeReason()).contains("user_blocked");
            assertThat(f.projection().snapshot(b.deviceSessionId())).get().asString().contains("\"revoked\"");

            int mailsBefore = f.mail().attempted().size();
            String suppressed = f.auth().sendEmailCode(EMAIL);
            assertThat(f.challenges().find(suppressed).orElseThrow().delivery()).isEqualTo(DeliveryState.SUPPRESSED);
            assertThat(f.mail().attempted()).hasSize(mailsBefore);
            assertFailsWith(ErrorCode.USER_BLOCKED,
                    () -> f.auth().confirmEmailCode(ConfirmRequest.of(pending, pendingCode)));
        }

        @Test
        @DisplayName("blocking again is fine and revokes nothing")
        void again() {
            ConfirmedLogin a = f.login(EMAIL);
            f.auth().blockUser(a.userId(), Optional.empty());
            assertThat(f.auth().blockUser(a.userId(), Optional.empty())).isZero();
        }

        @Test
        @DisplayName("an unknown user is user_not_found")
        void unknown() {
            assertFailsWith(ErrorCode.USER_NOT_FOUND, () -> f.auth().blockUser("nobody", Optional.empty()));
        }

        @Test
        @DisplayName("a user service failure is service_unavailable and revokes nothing")
        void userServiceDown() {
            ConfirmedLogin a = f.login(EMAIL);
            f.users().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> f.auth().blockUser(a.userId(), Optional.empty()));
            assertThat(stored(a.deviceSessionId()).status()).isEqualTo(io.authsession.core.domain.SessionStatus.ACTIVE);
        }
    }
}
