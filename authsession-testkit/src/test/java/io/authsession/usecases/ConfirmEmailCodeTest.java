package io.authsession.usecases;

import static io.authsession.usecases.Errors.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.AuthSession;
import io.authsession.core.CodeHashKey;
import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.wire.DeviceSessionJson;
import io.authsession.testkit.AuthSessionFixture;
import io.authsession.testkit.ProjectionEvent;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConfirmEmailCodeTest {
    private static final String EMAIL = "user@example.com";

    private final AuthSessionFixture f = AuthSessionFixture.create();

    private String send() {
        return f.auth().sendEmailCode(EMAIL);
    }

    private ConfirmedLogin confirm(String challengeId, String code) {
        return f.auth().confirmEmailCode(ConfirmRequest.of(challengeId, code));
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    private DeviceSession session(ConfirmedLogin login) {
        return f.sessions().find(login.deviceSessionId()).orElseThrow();
    }

    @Nested
    @DisplayName("the confirm table, row by row")
    class Table {
        @Test
        @DisplayName("no challenge record: challenge_not_found")
        void notFound() {
            assertFailsWith(ErrorCode.CHALLENGE_NOT_FOUND, () -> confirm("no-such-challenge", "123456"));
        }

        @Test
        @DisplayName("pending and now at expires_at: challenge_expired, even with the right code")
        void expired() {
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            f.clock().advance(Duration.ofMinutes(10).minusMillis(1));
            f.clock().advance(Duration.ofMillis(1));
            assertFailsWith(ErrorCode.CHALLENGE_EXPIRED, () -> confirm(id, code));
            assertFailsWith(ErrorCode.CHALLENGE_EXPIRED, () -> confirm(id, wrong(code)));
            assertThat(f.challenges().find(id).orElseThrow().failedAttempts()).isZero();
        }

        @Test
        @DisplayName("an expired challenge answers challenge_expired for the retention, then challenge_not_found")
        void expiredThenGone() {
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            f.clock().advance(Duration.ofMinutes(10).plus(Duration.ofHours(1)).minusMillis(1));
            assertFailsWith(ErrorCode.CHALLENGE_EXPIRED, () -> confirm(id, code));
            f.clock().advance(Duration.ofMillis(1));
            assertFailsWith(ErrorCode.CHALLENGE_NOT_FOUND, () -> confirm(id, code));
        }

        @Test
        @DisplayName("a wrong code: invalid_code and one more failed attempt")
        void invalidCode() {
            String id = send();
            assertFailsWith(ErrorCode.INVALID_CODE, () -> confirm(id, wrong(f.lastCodeFor(EMAIL))));
            assertThat(f.challenges().find(id).orElseThrow().failedAttempts()).isEqualTo(1);
        }

        @Test
        @DisplayName("at the maximum of failed attempts: too_many_attempts, even for the right code")
        void tooManyAttempts() {
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            for (int i = 0; i < 5; i++) {
                assertFailsWith(ErrorCode.INVALID_CODE, () -> confirm(id, wrong(code)));
            }
            assertFailsWith(ErrorCode.TOO_MANY_ATTEMPTS, () -> confirm(id, wrong(code)));
            assertFailsWith(ErrorCode.TOO_MANY_ATTEMPTS, () -> confirm(id, code));
            assertThat(f.sessions().listByUser("user-1", Optional.empty()).sessions()).isEmpty();
        }

        @Test
        @DisplayName("the runtime maximum of attempts applies")
        void runtimeMaxAttempts() {
            f.config().set(Setting.CHALLENGE_MAX_ATTEMPTS, "2");
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            assertFailsWith(ErrorCode.INVALID_CODE, () -> confirm(id, wrong(code)));
            assertFailsWith(ErrorCode.INVALID_CODE, () -> confirm(id, wrong(code)));
            assertFailsWith(ErrorCode.TOO_MANY_ATTEMPTS, () -> confirm(id, code));
        }

        @Test
        @DisplayName("the user was blocked after the send: user_blocked and no session")
        void userBlocked() {
            String id = send();
            String userId = f.users().register(EMAIL);
            f.auth().blockUser(userId, Optional.empty());
            assertFailsWith(ErrorCode.USER_BLOCKED, () -> confirm(id, f.lastCodeFor(EMAIL)));
            assertThat(f.sessions().listByUser(userId, Optional.empty()).sessions()).isEmpty();
            assertThat(f.challenges().find(id).orElseThrow().status()).isEqualTo(ChallengeStatus.PENDING_CONFIRMATION);
        }

        @Test
        @DisplayName("otherwise: success with a new active session at revision 1 for a newly created user")
        void success() {
            String id = send();
            ConfirmedLogin login = f.auth().confirmEmailCode(new ConfirmRequest(id, f.lastCodeFor(EMAIL),
                    Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32])),
                    Optional.of("Pixel 8")));

            assertThat(login.userId()).isEqualTo(f.users().userIdOf(EMAIL).orElseThrow());
            DeviceSession session = session(login);
            assertThat(session.status()).isEqualTo(SessionStatus.ACTIVE);
            assertThat(session.revision()).isEqualTo(1);
            assertThat(session.createdAt()).isEqualTo(f.clock().instant());
            assertThat(session.deviceName()).contains("Pixel 8");
            assertThat(session.clientPublicKey()).contains(Base64.getEncoder().encodeToString(new byte[32]));
            assertThat(f.challenges().find(id).orElseThrow().status()).isEqualTo(ChallengeStatus.CONFIRMED_PENDING_EXPIRE);
        }

        @Test
        @DisplayName("an existing user logs in as itself")
        void existingUser() {
            String userId = f.users().register(EMAIL);
            assertThat(f.login(EMAIL).userId()).isEqualTo(userId);
        }
    }

    @Nested
    @DisplayName("the projection")
    class Projection {
        @Test
        @DisplayName("a new session is projected: snapshot equal to the session JSON (expires_at included), the key"
                + " living until expires_at, and one event")
        void projected() {
            ConfirmedLogin login = f.login(EMAIL);
            String json = DeviceSessionJson.write(session(login));
            assertThat(json).contains("\"expires_at\":\"2026-12-22T10:00:00.000Z\"");
            assertThat(f.projection().snapshot(login.deviceSessionId())).contains(json);
            assertThat(f.projection().snapshotTimeToLive(login.deviceSessionId())).contains(Duration.ofHours(720));
            assertThat(f.projection().events()).containsExactly(
                    new ProjectionEvent(login.deviceSessionId(), login.userId(), "active", 1, json));
        }

        @Test
        @DisplayName("a failed projection is service_unavailable; the same confirm retried repairs it with the same session")
        void repairByReplay() {
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            f.projection().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> confirm(id, code));

            assertThat(f.challenges().find(id).orElseThrow().status()).isEqualTo(ChallengeStatus.CONFIRMED_PENDING_EXPIRE);
            String sessionId = f.challenges().find(id).orElseThrow().confirmation().orElseThrow().deviceSessionId();
            assertThat(f.sessions().find(sessionId)).isPresent();
            assertThat(f.projection().snapshot(sessionId)).isEmpty();

            ConfirmedLogin retried = confirm(id, code);
            assertThat(retried.deviceSessionId()).isEqualTo(sessionId);
            assertThat(f.projection().snapshot(sessionId)).isPresent();
            assertThat(f.sessions().listByUser(retried.userId(), Optional.empty()).sessions()).hasSize(1);
        }
    }

    @Nested
    @DisplayName("idempotent replay")
    class Replay {
        @Test
        @DisplayName("the same challenge and code return the same session and user, and never a second session")
        void sameAnswer() {
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            ConfirmedLogin first = confirm(id, code);
            f.clock().advance(Duration.ofMinutes(4));
            assertThat(confirm(id, code)).isEqualTo(first);
            assertThat(confirm(id, code)).isEqualTo(first);
            assertThat(f.sessions().listByUser(first.userId(), Optional.empty()).sessions()).hasSize(1);
            assertThat(f.projection().events()).hasSize(1);
            assertThat(f.users().ensureCalls()).isEqualTo(1);
        }

        @Test
        @DisplayName("a replay after the code's own expiry still answers, within the idempotency window")
        void afterCodeExpiry() {
            f.config().set(Setting.CHALLENGE_TTL, "1m");
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            ConfirmedLogin first = confirm(id, code);
            f.clock().advance(Duration.ofMinutes(3));
            assertThat(confirm(id, code)).isEqualTo(first);
        }

        @Test
        @DisplayName("after the idempotency window the challenge is gone")
        void windowEnds() {
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            confirm(id, code);
            f.clock().advance(Duration.ofMinutes(5));
            assertFailsWith(ErrorCode.CHALLENGE_NOT_FOUND, () -> confirm(id, code));
        }

        @Test
        @DisplayName("a replay after a revoke answers the same ids but never makes the session active again")
        void neverResurrects() {
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            ConfirmedLogin first = confirm(id, code);
            DeviceSession revoked = f.auth().revokeSession(first.deviceSessionId(), Optional.of("logout"));

            assertThat(confirm(id, code)).isEqualTo(first);
            assertThat(session(first)).isEqualTo(revoked);
            assertThat(f.projection().snapshot(first.deviceSessionId())).contains(DeviceSessionJson.write(revoked));
        }

        @Test
        @DisplayName("wrong codes on a confirmed challenge count, and at the maximum even the right code is refused")
        void wrongCodesCount() {
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            confirm(id, code);
            for (int i = 0; i < 5; i++) {
                assertFailsWith(ErrorCode.INVALID_CODE, () -> confirm(id, wrong(code)));
            }
            assertFailsWith(ErrorCode.TOO_MANY_ATTEMPTS, () -> confirm(id, code));
        }
    }

    @Nested
    @DisplayName("the session limit")
    class SessionLimit {
        @Test
        @DisplayName("the oldest active sessions are revoked (and projected) so that the new one makes the limit")
        void oldestRevoked() {
            f.config().set(Setting.MAX_ACTIVE_SESSIONS_PER_USER, "2").set(Setting.RESEND_COOLDOWN, "0");
            ConfirmedLogin first = f.login(EMAIL);
            f.clock().advance(Duration.ofSeconds(1));
            ConfirmedLogin second = f.login(EMAIL);
            f.clock().advance(Duration.ofSeconds(1));
            ConfirmedLogin third = f.login(EMAIL);

            DeviceSession revoked = session(first);
            assertThat(revoked.status()).isEqualTo(SessionStatus.REVOKED);
            assertThat(revoked.revokeReason()).contains("session_limit");
            assertThat(f.projection().snapshot(first.deviceSessionId())).contains(DeviceSessionJson.write(revoked));
            assertThat(f.auth().listSessions(third.userId(), Optional.of(SessionStatus.ACTIVE)))
                    .extracting(DeviceSession::id).containsExactly(third.deviceSessionId(), second.deviceSessionId());
        }

        @Test
        @DisplayName("a limit revocation whose projection failed is repaired by replaying the confirm")
        void repairedByReplay() {
            f.config().set(Setting.MAX_ACTIVE_SESSIONS_PER_USER, "1").set(Setting.RESEND_COOLDOWN, "0");
            ConfirmedLogin first = f.login(EMAIL);
            f.clock().advance(Duration.ofSeconds(1));
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            f.projection().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> confirm(id, code));
            assertThat(f.projection().snapshot(first.deviceSessionId())).get().asString().contains("\"active\"");

            f.clock().advance(Duration.ofSeconds(30));
            confirm(id, code);
            assertThat(f.projection().snapshot(first.deviceSessionId())).contains(DeviceSessionJson.write(session(first)));
            assertThat(session(first).revokeReason()).contains("session_limit");
        }
    }

    @Nested
    @DisplayName("code hash key rotation")
    class Rotation {
        @Test
        @DisplayName("a code mailed before the rotation is accepted with the old key as previous, refused without it")
        void previousKey() {
            String id = send();
            String code = f.lastCodeFor(EMAIL);
            CodeHashKey newKey = CodeHashKey.random(new SecureRandom());

            AuthSession withoutPrevious = rebuilt(builder -> builder.codeHashKey(newKey));
            assertFailsWith(ErrorCode.INVALID_CODE,
                    () -> withoutPrevious.confirmEmailCode(ConfirmRequest.of(id, code)));

            AuthSession rotated = rebuilt(builder -> builder.codeHashKey(newKey)
                    .previousCodeHashKey(AuthSessionFixture.CODE_HASH_KEY));
            assertThat(rotated.confirmEmailCode(ConfirmRequest.of(id, code)).userId()).isNotBlank();
        }

        private AuthSession rebuilt(java.util.function.Consumer<AuthSession.Builder> keys) {
            AuthSession.Builder builder = AuthSession.builder().clock(f.clock()).challengeStore(f.challenges())
                    .sessionStore(f.sessions()).userDirectory(f.users()).mailSender(f.mail())
                    .projectionPublisher(f.projection()).resendThrottle(f.throttle()).configProvider(f.config());
            keys.accept(builder);
            return builder.build();
        }
    }

    @Test
    @DisplayName("a user service failure at confirm is service_unavailable and consumes nothing")
    void userServiceDown() {
        String id = send();
        String code = f.lastCodeFor(EMAIL);
        f.users().failNextCalls(1);
        assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> confirm(id, code));
        assertThat(f.challenges().find(id).orElseThrow().status()).isEqualTo(ChallengeStatus.PENDING_CONFIRMATION);
        assertThat(confirm(id, code).userId()).isNotBlank();
    }

    @Test
    @DisplayName("a session store failure after the challenge was confirmed is repaired by the retried confirm")
    void sessionStoreDown() {
        String id = send();
        String code = f.lastCodeFor(EMAIL);
        f.sessions().failNextCalls(1);
        assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> confirm(id, code));
        ConfirmedLogin retried = confirm(id, code);
        assertThat(retried.deviceSessionId()).isEqualTo(
                f.challenges().find(id).orElseThrow().confirmation().orElseThrow().deviceSessionId());
        assertThat(session(retried).status()).isEqualTo(io.authsession.core.domain.SessionStatus.ACTIVE);
        assertThat(f.projection().snapshot(retried.deviceSessionId())).isPresent();
    }
}
