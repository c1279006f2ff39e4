package io.authsession.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.authsession.core.ConfirmRequest;
import io.authsession.core.ConfirmedLogin;
import io.authsession.core.error.AuthSessionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The round trips each flow makes to Redis, counted where every command passes ({@link RedisCommands}): one entry per
 * round trip, named by its operation, with the number of commands pipelined in it. Deterministic: the clock does
 * not move unless a test moves it, so the runtime settings are read once, before the counted flows. The counts are
 * pinned here and tabled in docs/redis.md; a change that adds a round trip to a login fails this test.
 */
class RoundTripsTest {
    private static final Map<String, List<String>> TABLE = Collections.synchronizedMap(new LinkedHashMap<>());

    private final TestKeyspace keyspace = new TestKeyspace();
    private final RedisWiring w = new RedisWiring(keyspace);
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void listen() {
        w.redis.loadScripts();
        w.redis.configProvider().current();
        w.redis.commands().listen((operation, commands) -> seen.add(commands == 1 ? operation
                : operation + " x" + commands));
    }

    @AfterEach
    void stop() throws Exception {
        keyspace.close();
    }

    @AfterAll
    static void printTable() {
        System.out.println("| flow | round trips | count |");
        System.out.println("|---|---|---|");
        TABLE.forEach((flow, trips) -> System.out.println("| " + flow + " | " + String.join(", ", trips) + " | "
                + trips.size() + " |"));
    }

    /** The round trips {@code flow} made, in order. */
    private List<String> roundTripsOf(String name, Runnable flow) {
        seen.clear();
        flow.run();
        List<String> trips = List.copyOf(seen);
        TABLE.put(name, trips);
        return trips;
    }

    private void quietly(Runnable flow) {
        try {
            flow.run();
        } catch (AuthSessionException expected) {
            // the answer is not what this test counts
        }
    }

    @Test
    @DisplayName("send: 2 round trips delivered or throttled, 3 suppressed (its code is discarded after the lookup)")
    void send() {
        assertThat(roundTripsOf("send-email-code, delivered", () -> w.auth.sendEmailCode("a@example.com")))
                .containsExactly("take resend window", "create challenge");
        assertThat(roundTripsOf("send-email-code, throttled", () -> w.auth.sendEmailCode("a@example.com")))
                .containsExactly("take resend window", "create challenge");
        w.users.registerBlocked("b@example.com");
        assertThat(roundTripsOf("send-email-code, suppressed", () -> w.auth.sendEmailCode("b@example.com")))
                .containsExactly("take resend window", "create challenge", "discard challenge code");
    }

    @Test
    @DisplayName("confirm: 4 round trips for a new session, 3 for a replay (with or without a session limit), 1 for a wrong code")
    void confirm() {
        String id = w.auth.sendEmailCode("a@example.com");
        String code = w.codeFor(id);
        String wrong = code.equals("000000") ? "000001" : "000000";
        assertThat(roundTripsOf("confirm-email-code, wrong code",
                () -> quietly(() -> w.auth.confirmEmailCode(ConfirmRequest.of(id, wrong)))))
                .containsExactly("check code");
        assertThat(roundTripsOf("confirm-email-code, new session",
                () -> w.auth.confirmEmailCode(ConfirmRequest.of(id, code))))
                .containsExactly("check code", "confirm challenge", "create session", "publish projection");
        assertThat(roundTripsOf("confirm-email-code, replay",
                () -> w.auth.confirmEmailCode(ConfirmRequest.of(id, code))))
                .containsExactly("check code", "create session", "publish projection");
        keyspace.raw().hset(keyspace.keys().config(), "max_active_sessions_per_user", "3");
        w.clock.advance(Duration.ofSeconds(5));
        w.redis.configProvider().current();
        assertThat(roundTripsOf("confirm-email-code, replay with a session limit",
                () -> w.auth.confirmEmailCode(ConfirmRequest.of(id, code))))
                .containsExactly("check code", "create session", "publish projection");
    }

    @Test
    @DisplayName("administration: list 1, get 1, revoke 2, revoke-all 2 (its publications pipelined), extend 1 or 2")
    void administration() {
        ConfirmedLogin first = w.login("a@example.com");
        w.clock.advance(Duration.ofMinutes(2));
        ConfirmedLogin second = w.login("a@example.com");
        w.clock.advance(Duration.ofMinutes(2));
        w.login("a@example.com");
        w.redis.configProvider().current();

        assertThat(roundTripsOf("list sessions", () -> w.auth.listSessions(first.userId(), Optional.empty())))
                .containsExactly("list sessions");
        assertThat(roundTripsOf("get session", () -> w.auth.findSession(first.deviceSessionId())))
                .containsExactly("find session");
        assertThat(roundTripsOf("revoke session", () -> w.auth.revokeSession(second.deviceSessionId(), Optional.empty())))
                .containsExactly("revoke session", "publish projection");
        assertThat(roundTripsOf("revoke all (3 sessions, 2 active; 3 publications in one pipeline)",
                () -> w.auth.revokeAllSessions(first.userId(), Optional.empty())))
                .containsExactly("revoke all sessions", "publish projection x3");
    }

    @Test
    @DisplayName("extend: 1 round trip when nothing changes, 2 when the expiry moves (the script, the publication)")
    void extend() {
        keyspace.raw().hset(keyspace.keys().config(), "session_idle_timeout", "1h");
        w.clock.advance(Duration.ofSeconds(5));
        w.redis.configProvider().current();
        ConfirmedLogin login = w.login("a@example.com");
        assertThat(roundTripsOf("extend session, under a minute (no change)",
                () -> w.auth.extendSession(login.deviceSessionId()))).containsExactly("extend session");
        w.clock.advance(Duration.ofMinutes(10));
        w.redis.configProvider().current();
        assertThat(roundTripsOf("extend session", () -> w.auth.extendSession(login.deviceSessionId())))
                .containsExactly("extend session", "publish projection");
    }
}
