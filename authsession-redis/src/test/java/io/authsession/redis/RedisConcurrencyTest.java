package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.error.AuthSessionException;
import io.authsession.testkit.Concurrently;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The contract's concurrency promises end to end through the use cases, with real threads on real Redis. */
class RedisConcurrencyTest {
    private static final String EMAIL = "race@example.com";

    private final TestKeyspace keyspace = new TestKeyspace();
    private final RedisWiring w = new RedisWiring(keyspace);

    @AfterEach
    void close() throws Exception {
        keyspace.close();
    }

    private static String outcomeOf(Runnable call) {
        try {
            call.run();
            return "ok";
        } catch (AuthSessionException e) {
            return e.code().wireName();
        }
    }

    @Test
    @DisplayName("24 threads guessing: exactly 5 invalid_code, then only too_many_attempts, even for the right code")
    void guessing() {
        String id = w.auth.sendEmailCode(EMAIL);
        String code = w.codeFor(id);
        AtomicInteger offset = new AtomicInteger(1);
        List<String> outcomes = Concurrently.run(24, () -> outcomeOf(() -> w.auth.confirmEmailCode(ConfirmRequest.of(id,
                String.format("%06d", (Integer.parseInt(code) + offset.getAndIncrement()) % 1_000_000)))));
        assertThat(outcomes).filteredOn("invalid_code"::equals).hasSize(5);
        assertThat(outcomes).filteredOn("too_many_attempts"::equals).hasSize(19);
        assertThat(outcomeOf(() -> w.auth.confirmEmailCode(ConfirmRequest.of(id, code)))).isEqualTo("too_many_attempts");
    }

    @Test
    @DisplayName("12 threads confirming the right code: all succeed with one session, projected once")
    void confirming() {
        String id = w.auth.sendEmailCode(EMAIL);
        String code = w.codeFor(id);
        List<ConfirmedLogin> logins = Concurrently.run(12, () -> w.auth.confirmEmailCode(ConfirmRequest.of(id, code)));
        assertThat(logins).containsOnly(logins.get(0));
        assertThat(w.auth.listSessions(logins.get(0).userId(), Optional.empty())).hasSize(1);
        assertThat(new RedisProjectionView(keyspace.raw(), keyspace.keys()).events()).hasSize(1);
    }

    @Test
    @DisplayName("10 threads sending to one address: one mail, ten distinct challenges")
    void sending() {
        List<String> ids = Concurrently.run(10, () -> w.auth.sendEmailCode(EMAIL));
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(w.mail.attempted()).hasSize(1);
    }
}
