package io.authsession.usecases;

import static io.authsession.usecases.Errors.assertFailsWith;
import static io.authsession.usecases.Errors.outcomeOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.DeliveryState;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.error.ErrorCode;
import io.authsession.testkit.AuthSessionFixture;
import io.authsession.testkit.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** CONTRACT §2.3: a failed-guess budget per address, across its challenges. */
class GuessBudgetTest {
    private static final String EMAIL = "user@example.com";

    private final AuthSessionFixture f = AuthSessionFixture.create();

    @BeforeEach
    void settings() {
        f.config().set(Setting.RESEND_COOLDOWN, "0").set(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "3");
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    private String guessWrong(String challengeId) {
        return outcomeOf(() -> f.auth().confirmEmailCode(ConfirmRequest.of(challengeId, "999999".equals(
                f.mail().codeFor(challengeId).orElse("")) ? "999998" : "999999")));
    }

    private AddressBudget budget() {
        return AddressBudget.of(f.config().current());
    }

    @Test
    @DisplayName("wrong codes count across challenges; at the budget even the right code is too_many_attempts")
    void lock() {
        String first = f.auth().sendEmailCode(EMAIL);
        String second = f.auth().sendEmailCode(EMAIL);
        assertThat(List.of(guessWrong(first), guessWrong(second), guessWrong(first)))
                .containsOnly("invalid_code");
        String third = f.auth().sendEmailCode(EMAIL);
        assertFailsWith(ErrorCode.TOO_MANY_ATTEMPTS,
                () -> f.auth().confirmEmailCode(ConfirmRequest.of(second, f.mail().codeFor(second).orElseThrow())));
        assertThat(f.challenges().find(third).orElseThrow().delivery()).isEqualTo(DeliveryState.THROTTLED);
    }

    @Test
    @DisplayName("a locked address sends as throttled: same answer, no user lookup, no mail")
    void sendsThrottled() {
        String id = f.auth().sendEmailCode(EMAIL);
        for (int i = 0; i < 3; i++) {
            guessWrong(id);
        }
        int lookups = f.users().resolveCalls();
        int mails = f.mail().sent().size();
        String answer = f.auth().sendEmailCode(EMAIL);
        assertThat(answer).isNotBlank();
        assertThat(f.users().resolveCalls()).isEqualTo(lookups);
        assertThat(f.mail().sent()).hasSize(mails);
        assertThat(f.challenges().find(answer).orElseThrow().delivery()).isEqualTo(DeliveryState.THROTTLED);
        assertThat(f.challenges().find(answer).orElseThrow().email()).isEmpty();
    }

    @Test
    @DisplayName("a successful first confirm resets the count")
    void reset() {
        String id = f.auth().sendEmailCode(EMAIL);
        guessWrong(id);
        guessWrong(id);
        f.auth().confirmEmailCode(ConfirmRequest.of(id, f.mail().codeFor(id).orElseThrow()));
        assertThat(f.challenges().addressState(addressKey(), budget()).failedAttempts()).isZero();
    }

    @Test
    @DisplayName("the window ends by the clock; a budget of zero turns the budget off")
    void windowAndOff() {
        String id = f.auth().sendEmailCode(EMAIL);
        for (int i = 0; i < 3; i++) {
            guessWrong(id);
        }
        f.clock().advance(Duration.ofHours(1));
        String later = f.auth().sendEmailCode(EMAIL);
        assertThat(f.challenges().find(later).orElseThrow().delivery()).isEqualTo(DeliveryState.SENT);

        f.config().set(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "0").set(Setting.CHALLENGE_MAX_ATTEMPTS, "50");
        for (int i = 0; i < 10; i++) {
            assertThat(guessWrong(later)).isEqualTo("invalid_code");
        }
        assertThat(outcomeOf(() -> f.auth().confirmEmailCode(ConfirmRequest.of(later,
                f.mail().codeFor(later).orElseThrow())))).isEqualTo("ok");
    }

    @Test
    @DisplayName("48 concurrent wrong guesses over 6 challenges (5 attempts each, budget 20) yield exactly 20 invalid_code")
    void concurrent() {
        f.config().set(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "20");
        List<String> challenges = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            challenges.add(f.auth().sendEmailCode(EMAIL));
        }
        AtomicInteger next = new AtomicInteger();
        List<String> outcomes = Concurrently.run(48, () -> guessWrong(challenges.get(next.getAndIncrement() % 6)));
        assertThat(outcomes).filteredOn("invalid_code"::equals).hasSize(20);
        assertThat(outcomes).filteredOn("too_many_attempts"::equals).hasSize(28);
    }

    @Test
    @DisplayName("the budget settings change at runtime like the others")
    void runtimeChange() {
        String id = f.auth().sendEmailCode(EMAIL);
        guessWrong(id);
        guessWrong(id);
        f.config().set(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "2");
        assertFailsWith(ErrorCode.TOO_MANY_ATTEMPTS,
                () -> f.auth().confirmEmailCode(ConfirmRequest.of(id, f.mail().codeFor(id).orElseThrow())));
        f.config().set(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "5");
        assertThat(outcomeOf(() -> f.auth().confirmEmailCode(ConfirmRequest.of(id,
                f.mail().codeFor(id).orElseThrow())))).isEqualTo("ok");

        f.config().set(Setting.ADDRESS_MAX_FAILED_ATTEMPTS, "3").set(Setting.ADDRESS_FAILED_ATTEMPTS_WINDOW, "1m");
        String next = f.auth().sendEmailCode(EMAIL);
        for (int i = 0; i < 3; i++) {
            guessWrong(next);
        }
        assertThat(f.challenges().find(f.auth().sendEmailCode(EMAIL)).orElseThrow().delivery())
                .isEqualTo(DeliveryState.THROTTLED);
        f.clock().advance(Duration.ofMinutes(1));
        assertThat(f.challenges().find(f.auth().sendEmailCode(EMAIL)).orElseThrow().delivery())
                .isEqualTo(DeliveryState.SENT);
        assertThat(RuntimeSettings.DEFAULTS.addressFailedAttemptsWindow()).isEqualTo(Duration.ofHours(1));
    }

    private io.authsession.core.domain.AddressKey addressKey() {
        return AuthSessionFixture.CODE_HASH_KEY.addressKeyOf(EmailAddress.parse(EMAIL));
    }
}
