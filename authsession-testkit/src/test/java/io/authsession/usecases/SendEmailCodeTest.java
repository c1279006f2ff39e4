package io.authsession.usecases;

import static io.authsession.usecases.Errors.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.domain.Challenge;
import io.authsession.core.domain.ChallengeStatus;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.testkit.AuthSessionFixture;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SendEmailCodeTest {
    private static final String EMAIL = "user@example.com";

    private final AuthSessionFixture f = AuthSessionFixture.create();

    private Challenge stored(String challengeId) {
        return f.challenges().find(challengeId).orElseThrow();
    }

    @Nested
    @DisplayName("a delivered send")
    class Delivered {
        @Test
        @DisplayName("mails a six-digit code to the normalised address and stores only its hash")
        void mailsCode() {
            String challengeId = f.auth().sendEmailCode("  User@Example.COM ");

            LoginCodeMail mail = f.mail().sent().get(0);
            assertThat(mail.email().value()).isEqualTo(EMAIL);
            assertThat(mail.code()).matches("[0-9]{6}");
            assertThat(mail.challengeId()).isEqualTo(challengeId);
            assertThat(mail.expiresAt()).isEqualTo(f.clock().instant().plus(Duration.ofMinutes(10)));

            Challenge challenge = stored(challengeId);
            assertThat(challenge.status()).isEqualTo(ChallengeStatus.PENDING_CONFIRMATION);
            assertThat(challenge.delivery()).isEqualTo(DeliveryState.SENT);
            assertThat(challenge.codeHash()).get().asString().doesNotContain(mail.code());
            assertThat(challenge.expiresAt()).isEqualTo(mail.expiresAt());
        }

        @Test
        @DisplayName("keeps the challenge for the expired-challenge retention after its expiry")
        void purgeTime() {
            String challengeId = f.auth().sendEmailCode(EMAIL);
            assertThat(f.challenges().purgeAt(challengeId))
                    .contains(f.clock().instant().plus(Duration.ofMinutes(10)).plus(Duration.ofHours(1)));
        }

        @Test
        @DisplayName("returns opaque, URL-safe ids of at least 128 bits, never twice the same")
        void ids() {
            f.config().set(Setting.RESEND_COOLDOWN, "0");
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                String id = f.auth().sendEmailCode(EMAIL);
                assertThat(id).matches("[A-Za-z0-9_-]{22,}").doesNotContain("user");
                ids.add(id);
            }
            assertThat(ids).hasSize(200);
        }

        @Test
        @DisplayName("looks up the user without creating it")
        void lookupOnly() {
            f.auth().sendEmailCode(EMAIL);
            assertThat(f.users().resolveCalls()).isEqualTo(1);
            assertThat(f.users().ensureCalls()).isZero();
            assertThat(f.users().userIdOf(EMAIL)).isEmpty();
        }

        @Test
        @DisplayName("uses the runtime code lifetime")
        void runtimeTtl() {
            f.config().set(Setting.CHALLENGE_TTL, "30s");
            f.auth().sendEmailCode(EMAIL);
            assertThat(f.mail().sent().get(0).expiresAt()).isEqualTo(f.clock().instant().plusSeconds(30));
        }
    }

    @Nested
    @DisplayName("the resend throttle")
    class Throttle {
        @Test
        @DisplayName("a send inside the window returns a fresh id, calls neither service and stores a throttled challenge")
        void throttled() {
            String first = f.auth().sendEmailCode(EMAIL);
            String second = f.auth().sendEmailCode("USER@example.com");

            assertThat(second).isNotEqualTo(first);
            assertThat(f.mail().attempted()).hasSize(1);
            assertThat(f.users().resolveCalls()).isEqualTo(1);
            assertThat(stored(second).delivery()).isEqualTo(DeliveryState.THROTTLED);
            assertThat(stored(second).codeHash()).isEmpty();
        }

        @Test
        @DisplayName("a throttled challenge refuses every code, the mailed one included")
        void throttledHasNoCode() {
            f.auth().sendEmailCode(EMAIL);
            String code = f.lastCodeFor(EMAIL);
            String throttled = f.auth().sendEmailCode(EMAIL);
            assertFailsWith(ErrorCode.INVALID_CODE, () -> f.auth().confirmEmailCode(ConfirmRequest.of(throttled, code)));
            assertThat(stored(throttled).failedAttempts()).isEqualTo(1);
        }

        @Test
        @DisplayName("throttled sends do not extend the window, which ends after the cooldown")
        void windowEnds() {
            f.auth().sendEmailCode(EMAIL);
            f.clock().advance(Duration.ofSeconds(59));
            f.auth().sendEmailCode(EMAIL);
            f.clock().advance(Duration.ofSeconds(1));
            String third = f.auth().sendEmailCode(EMAIL);
            assertThat(stored(third).delivery()).isEqualTo(DeliveryState.SENT);
            assertThat(f.mail().sent()).hasSize(2);
        }

        @Test
        @DisplayName("the window is per normalised address")
        void perAddress() {
            f.auth().sendEmailCode(EMAIL);
            f.auth().sendEmailCode("other@example.com");
            assertThat(f.mail().sent()).hasSize(2);
        }

        @Test
        @DisplayName("the runtime cooldown applies; zero turns throttling off")
        void runtimeCooldown() {
            f.config().set(Setting.RESEND_COOLDOWN, "0");
            f.auth().sendEmailCode(EMAIL);
            f.auth().sendEmailCode(EMAIL);
            assertThat(f.mail().sent()).hasSize(2);

            f.config().set(Setting.RESEND_COOLDOWN, "10s");
            f.auth().sendEmailCode(EMAIL);
            f.auth().sendEmailCode(EMAIL);
            assertThat(f.mail().sent()).hasSize(3);
            f.clock().advance(Duration.ofSeconds(10));
            f.auth().sendEmailCode(EMAIL);
            assertThat(f.mail().sent()).hasSize(4);
        }
    }

    @Nested
    @DisplayName("a blocked user")
    class Blocked {
        @Test
        @DisplayName("gets the usual answer, no mail, and a suppressed challenge that refuses every code")
        void suppressed() {
            f.users().registerBlocked(EMAIL);
            String challengeId = f.auth().sendEmailCode(EMAIL);

            assertThat(f.mail().attempted()).isEmpty();
            assertThat(stored(challengeId).delivery()).isEqualTo(DeliveryState.SUPPRESSED);
            assertFailsWith(ErrorCode.INVALID_CODE,
                    () -> f.auth().confirmEmailCode(ConfirmRequest.of(challengeId, "000000")));
        }
    }

    @Nested
    @DisplayName("a failing dependency")
    class Failures {
        @Test
        @DisplayName("user lookup down: service_unavailable, nothing stored, and the window is released")
        void userServiceDown() {
            f.users().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> f.auth().sendEmailCode(EMAIL));
            assertThat(f.mail().attempted()).isEmpty();

            String retry = f.auth().sendEmailCode(EMAIL);
            assertThat(stored(retry).delivery()).isEqualTo(DeliveryState.SENT);
            assertThat(f.mail().sent()).hasSize(1);
        }

        @Test
        @DisplayName("mail refused: service_unavailable, the window is released and the stored code can never be used")
        void mailDown() {
            f.mail().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> f.auth().sendEmailCode(EMAIL));

            LoginCodeMail refused = f.mail().attempted().get(0);
            Challenge challenge = stored(refused.challengeId());
            assertThat(challenge.delivery()).isEqualTo(DeliveryState.FAILED);
            assertThat(challenge.codeHash()).isEmpty();
            assertFailsWith(ErrorCode.INVALID_CODE, () -> f.auth().confirmEmailCode(
                    ConfirmRequest.of(refused.challengeId(), refused.code())));

            String retry = f.auth().sendEmailCode(EMAIL);
            assertThat(f.mail().sent()).extracting(LoginCodeMail::challengeId).containsExactly(retry);
        }

        @Test
        @DisplayName("challenge store down after the window was taken: service_unavailable and the window is released")
        void storeDown() {
            f.challenges().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> f.auth().sendEmailCode(EMAIL));
            assertThat(f.mail().attempted()).isEmpty();
            f.auth().sendEmailCode(EMAIL);
            assertThat(f.mail().sent()).hasSize(1);
        }

        @Test
        @DisplayName("throttle down: service_unavailable and nothing else is called")
        void throttleDown() {
            f.throttle().failNextCalls(1);
            assertFailsWith(ErrorCode.SERVICE_UNAVAILABLE, () -> f.auth().sendEmailCode(EMAIL));
            assertThat(f.users().resolveCalls()).isZero();
            assertThat(f.mail().attempted()).isEmpty();
        }
    }

    @Test
    @DisplayName("an invalid address is invalid_request and reaches no dependency")
    void invalidAddress() {
        assertFailsWith(ErrorCode.INVALID_REQUEST, () -> f.auth().sendEmailCode("not-an-address"));
        assertFailsWith(ErrorCode.INVALID_REQUEST, () -> f.auth().sendEmailCode(null));
        assertThat(f.users().resolveCalls()).isZero();
        assertThat(f.mail().attempted()).isEmpty();
    }
}
