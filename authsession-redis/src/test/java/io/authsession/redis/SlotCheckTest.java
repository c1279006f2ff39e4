package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.testkit.RedisTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every script touches keys of one hash slot only, checked by {@link SlotCheck} on the standalone server (the store
 * contracts run under the same check in the {@code SlotChecked*Test} classes).
 */
class SlotCheckTest {
    private final TestKeyspace keyspace = TestKeyspace.slotChecked();
    private final RedisWiring w = new RedisWiring(keyspace);

    @AfterEach
    void close() throws Exception {
        keyspace.close();
    }

    @Test
    @DisplayName("the check refuses a script that reaches a key of another slot, and one declared with keys of two")
    void refusesOtherSlots() {
        String challengeId = w.auth.sendEmailCode("a@example.com");
        RedisKeys keys = keyspace.keys();
        String hint = challengeId.substring(0, RedisKeys.ADDRESS_HINT_LENGTH);
        String foreign = hint.equals("zzzz") ? "yyyy" : "zzzz";
        assertThat(RedisTestCluster.slot("{" + foreign + "}")).isNotEqualTo(RedisTestCluster.slot("{" + hint + "}"));
        String foreignPrefix = keys.taggedPrefixOfChallenge(foreign + challengeId.substring(4));

        assertThatThrownBy(() -> w.redis.commands().eval("check code", LuaScript.CHALLENGE_CHECK,
                List.of(keys.challenge(challengeId)), List.of(Long.toString(w.clock.millis()), "5", "20", "3600000",
                        "not-the-code", "", foreignPrefix)))
                .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("CROSSSLOT");
        assertThatThrownBy(() -> w.redis.commands().eval("release resend window", LuaScript.THROTTLE_RELEASE,
                List.of("{" + hint + "}:a", "{" + foreign + "}:b"), List.of("token")))
                .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("CROSSSLOT");
    }

    @Test
    @DisplayName("every flow of the service keeps each of its scripts in one slot")
    void flows() {
        String challengeId = w.auth.sendEmailCode("a@example.com");
        String code = w.codeFor(challengeId);
        String wrong = code.equals("000000") ? "000001" : "000000";
        assertThatThrownBy(() -> w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, wrong)))
                .isInstanceOf(io.authsession.core.error.AuthSessionException.class).hasMessageContaining("code");
        ConfirmedLogin first = w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, code));
        w.auth.confirmEmailCode(ConfirmRequest.of(challengeId, code));
        w.clock.advance(Duration.ofMinutes(2));
        ConfirmedLogin second = w.login("a@example.com");
        w.auth.extendSession(second.deviceSessionId());
        w.auth.listSessions(first.userId(), Optional.empty());
        w.auth.revokeSession(first.deviceSessionId(), Optional.empty());
        assertThat(w.auth.revokeAllSessions(first.userId(), Optional.empty())).isEqualTo(1);
        assertThat(w.auth.listSessions(first.userId(), Optional.empty())).hasSize(2);
    }
}
