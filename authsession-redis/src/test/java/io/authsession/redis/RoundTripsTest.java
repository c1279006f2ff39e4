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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * Counts the commands each flow sends to Redis, as Redis saw them ({@code MONITOR}: commands a client sent, not
 * those run inside scripts). The counts are pinned here and tabled in docs/redis.md; a change that adds a round trip
 * to a login fails this test.
 */
class RoundTripsTest {
    private static final Pattern CLIENT_COMMAND = Pattern.compile("^\\S+ \\[\\d+ [^\\]l][^\\]]*\\] \"([^\"]+)\"");
    private static final Map<String, List<String>> TABLE = Collections.synchronizedMap(new LinkedHashMap<>());

    private final TestKeyspace keyspace = new TestKeyspace();
    private final RedisWiring w = new RedisWiring(keyspace);
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private Jedis monitor;

    @BeforeEach
    void startMonitor() throws InterruptedException {
        monitor = new Jedis(keyspace.server.host(), keyspace.server.port());
        Thread thread = new Thread(() -> {
            try {
                monitor.monitor(new JedisMonitor() {
                    @Override
                    public void onCommand(String command) {
                        seen.add(command);
                    }
                });
            } catch (RuntimeException closed) {
                // the monitor connection was closed at the end of the test
            }
        }, "redis-monitor");
        thread.setDaemon(true);
        thread.start();
        awaitMarker("ready-" + UUID.randomUUID());
        w.redis.loadScripts();
        w.auth.listSessions("warm-up", Optional.empty());
        w.redis.configProvider().current();
    }

    @AfterEach
    void stop() throws Exception {
        monitor.close();
        keyspace.close();
    }

    @AfterAll
    static void printTable() {
        System.out.println("| flow | commands sent | count |");
        System.out.println("|---|---|---|");
        TABLE.forEach((flow, commands) -> System.out.println("| " + flow + " | " + String.join(", ", commands) + " | "
                + commands.size() + " |"));
    }

    private void awaitMarker(String marker) throws InterruptedException {
        try (Jedis client = new Jedis(keyspace.server.host(), keyspace.server.port())) {
            for (int i = 0; i < 200 && !seenContains(marker); i++) {
                client.echo(marker);
                Thread.sleep(10);
            }
        }
        assertThat(seenContains(marker)).as("MONITOR saw " + marker).isTrue();
    }

    private boolean seenContains(String marker) {
        synchronized (seen) { // the monitor thread adds while we look
            return seen.stream().anyMatch(line -> line.contains(marker));
        }
    }

    /** The commands this test's clients sent while {@code flow} ran, in order. */
    private List<String> commandsOf(String name, Runnable flow) throws InterruptedException {
        // MONITOR lags: let the commands of what ran before arrive before forgetting them.
        awaitMarker("start-" + UUID.randomUUID());
        seen.clear();
        flow.run();
        awaitMarker("end-" + UUID.randomUUID());
        List<String> commands = new ArrayList<>();
        synchronized (seen) {
            for (String line : seen) {
                Matcher matcher = CLIENT_COMMAND.matcher(line);
                if (matcher.find() && line.contains(keyspace.namespace)) {
                    commands.add(matcher.group(1).toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
        TABLE.put(name, commands);
        return commands;
    }

    @Test
    @DisplayName("send: 2 commands whether delivered, throttled or suppressed")
    void send() throws InterruptedException {
        assertThat(commandsOf("send-email-code, delivered", () -> w.auth.sendEmailCode("a@example.com")))
                .containsExactly("EVALSHA", "EVALSHA");
        assertThat(commandsOf("send-email-code, throttled", () -> w.auth.sendEmailCode("a@example.com")))
                .containsExactly("EVALSHA", "EVALSHA");
        w.users.registerBlocked("b@example.com");
        assertThat(commandsOf("send-email-code, suppressed", () -> w.auth.sendEmailCode("b@example.com")))
                .containsExactly("EVALSHA", "EVALSHA");
    }

    @Test
    @DisplayName("confirm: 4 commands for a new session, 3 for a replay (4 with a session limit), 2 for a wrong code")
    void confirm() throws InterruptedException {
        String id = w.auth.sendEmailCode("a@example.com");
        String code = w.codeFor(id);
        String wrong = code.equals("000000") ? "000001" : "000000";
        assertThat(commandsOf("confirm-email-code, wrong code", () -> {
            try {
                w.auth.confirmEmailCode(ConfirmRequest.of(id, wrong));
            } catch (AuthSessionException expected) {
                // invalid_code
            }
        })).containsExactly("HGETALL", "EVALSHA");
        assertThat(commandsOf("confirm-email-code, new session", () -> w.auth.confirmEmailCode(ConfirmRequest.of(id, code))))
                .containsExactly("HGETALL", "EVALSHA", "EVALSHA", "EVALSHA");
        assertThat(commandsOf("confirm-email-code, replay", () -> w.auth.confirmEmailCode(ConfirmRequest.of(id, code))))
                .containsExactly("HGETALL", "EVALSHA", "EVALSHA");
        keyspace.raw().hset(keyspace.keys().config(), "max_active_sessions_per_user", "3");
        w.clock.advance(Duration.ofSeconds(5));
        w.redis.configProvider().current();
        assertThat(commandsOf("confirm-email-code, replay with a session limit (repairs limit revocations)",
                () -> w.auth.confirmEmailCode(ConfirmRequest.of(id, code))))
                .containsExactly("HGETALL", "EVALSHA", "EVALSHA", "EVALSHA");
    }

    @Test
    @DisplayName("administration: list 1, get 1, revoke 3, revoke-all 1 plus one pipelined publication per session")
    void administration() throws InterruptedException {
        ConfirmedLogin first = w.login("a@example.com");
        w.clock.advance(Duration.ofMinutes(2));
        ConfirmedLogin second = w.login("a@example.com");
        w.clock.advance(Duration.ofMinutes(2));
        w.login("a@example.com");

        assertThat(commandsOf("list sessions", () -> w.auth.listSessions(first.userId(), Optional.empty())))
                .containsExactly("EVALSHA");
        assertThat(commandsOf("get session", () -> w.auth.findSession(first.deviceSessionId())))
                .containsExactly("HGETALL");
        assertThat(commandsOf("revoke session", () -> w.auth.revokeSession(second.deviceSessionId(), Optional.empty())))
                .containsExactly("HGET", "EVALSHA", "EVALSHA");
        assertThat(commandsOf("revoke all (3 sessions, 2 active; publications pipelined: 2 round trips)",
                () -> w.auth.revokeAllSessions(first.userId(), Optional.empty())))
                .containsExactly("EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA");
    }
}
