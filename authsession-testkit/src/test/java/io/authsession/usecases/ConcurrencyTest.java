package io.authsession.usecases;

import static io.authsession.usecases.Errors.outcomeOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.domain.SessionStatus;
import io.authsession.testkit.AuthSessionFixture;
import io.authsession.testkit.Concurrently;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The contract's concurrency promises, with real threads against the fakes. */
class ConcurrencyTest {
    private static final String EMAIL = "user@example.com";

    private final AuthSessionFixture f = AuthSessionFixture.create();

    @Test
    @DisplayName("24 threads guessing wrong codes get exactly max invalid_code, then the right code is refused")
    void guessing() {
        String id = f.auth().sendEmailCode(EMAIL);
        String code = f.lastCodeFor(EMAIL);
        AtomicInteger guess = new AtomicInteger();
        List<String> outcomes = Concurrently.run(24, () -> outcomeOf(() -> f.auth().confirmEmailCode(
                ConfirmRequest.of(id, String.format("%06d", (Integer.parseInt(code) + 1 + guess.getAndIncrement()) % 1_000_000)))));
        assertThat(outcomes).filteredOn("invalid_code"::equals).hasSize(5);
        assertThat(outcomes).filteredOn("too_many_attempts"::equals).hasSize(19);
        assertThat(outcomeOf(() -> f.auth().confirmEmailCode(ConfirmRequest.of(id, code)))).isEqualTo("too_many_attempts");
    }

    @Test
    @DisplayName("12 threads confirming the right code all succeed with one session")
    void confirming() {
        String id = f.auth().sendEmailCode(EMAIL);
        String code = f.lastCodeFor(EMAIL);
        List<ConfirmedLogin> logins = Concurrently.run(12, () -> f.auth().confirmEmailCode(ConfirmRequest.of(id, code)));
        assertThat(logins).hasSize(12).containsOnly(logins.get(0));
        assertThat(f.sessions().listByUser(logins.get(0).userId(), Optional.empty()).sessions()).hasSize(1);
        assertThat(f.projection().snapshot(logins.get(0).deviceSessionId())).isPresent();
    }

    @Test
    @DisplayName("10 threads sending to one address send exactly one mail")
    void sending() {
        List<String> ids = Concurrently.run(10, () -> f.auth().sendEmailCode(EMAIL));
        assertThat(ids).doesNotHaveDuplicates().hasSize(10);
        assertThat(f.mail().attempted()).hasSize(1);
        assertThat(f.users().resolveCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("8 concurrent logins of one user with a limit of 3 leave exactly 3 active sessions")
    void limit() {
        f.config().set(Setting.MAX_ACTIVE_SESSIONS_PER_USER, "3").set(Setting.RESEND_COOLDOWN, "0");
        List<ConfirmedLogin> logins = Concurrently.run(8, () -> f.login(EMAIL));
        assertThat(f.auth().listSessions(logins.get(0).userId(), Optional.of(SessionStatus.ACTIVE))).hasSize(3);
        f.auth().listSessions(logins.get(0).userId(), Optional.empty()).forEach(session ->
                assertThat(f.projection().snapshot(session.id())).get().asString()
                        .contains("\"status\":\"" + session.status().wireName() + "\""));
    }
}
