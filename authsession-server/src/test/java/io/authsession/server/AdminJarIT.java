package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.SessionStatus;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.redis.RedisAdapters;
import io.authsession.redis.RedisSettings;
import io.authsession.server.admin.AdminCommand;
import io.authsession.testkit.RedisTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;

/** {@code java -jar authsession-server.jar admin ...} as an operator runs it, against a real Redis. After package. */
class AdminJarIT {
    private static final Path JAR = Path.of("target", "authsession-server.jar");
    private static final Duration RETENTION = Duration.ofHours(720);
    private static final Pattern EXPECT = Pattern.compile("--expect (\\d+)");
    private static final Pattern RESUME = Pattern.compile("--resume (\\d+:\\d+)");

    private final String namespace = "it-adm-" + UUID.randomUUID() + ":";
    private final RedisTestServer redisServer = RedisTestServer.shared();
    private final RedisClient raw = RedisClient.create(redisServer.host(), redisServer.port());
    private final RedisAdapters service = RedisAdapters.create(RedisSettings.builder()
            .host(redisServer.host()).port(redisServer.port())
            .keyPrefix(namespace + "authsession:")
            .gatewaySessionKeyPrefix(namespace + "gateway:session:")
            .gatewayEventsStream(namespace + "gateway:session_events")
            .build(), Clock.systemUTC(), RuntimeSettings.DEFAULTS);

    @AfterEach
    void close() {
        service.close();
        raw.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHSESSION_REDIS_ADDR", redisServer.host() + ":" + redisServer.port());
        env.put("AUTHSESSION_REDIS_KEY_PREFIX", namespace + "authsession:");
        env.put("AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX", namespace + "gateway:session:");
        env.put("AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM", namespace + "gateway:session_events");
        env.put("AUTHSESSION_CODE_HASH_KEY", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=");
        env.put("USER", "it-operator");
        return env;
    }

    private ServerProcess admin(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("admin"));
        command.addAll(List.of(args));
        return ServerProcess.fromJar(JAR, env(), command.toArray(String[]::new));
    }

    /** Runs a command to its end: exit status and the whole output. */
    private record Ran(int exit, String out, String err) {}

    private Ran run(String... args) throws Exception {
        try (ServerProcess process = admin(args)) {
            int exit = process.awaitExit(Duration.ofSeconds(60));
            return new Ran(exit, String.join("\n", process.stdout()), String.join("\n", process.stderr()));
        }
    }

    private List<DeviceSession> sessions(int users, int each) {
        List<DeviceSession> made = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int s = 0; s < each; s++) {
                String user = "user-" + u;
                DeviceSession session = DeviceSession.active(service.sessionStore().newSessionId(user), user,
                        Instant.now(), RuntimeSettings.DEFAULTS, Optional.empty(), Optional.empty());
                service.sessionStore().create(session, 0, RETENTION);
                made.add(session);
            }
        }
        service.projectionPublisher().publishAll(made.stream().map(s -> SessionSnapshot.of(s, RETENTION)).toList());
        return made;
    }

    private SessionStatus status(DeviceSession session) {
        return service.sessionStore().find(session.id()).orElseThrow().status();
    }

    private List<StreamEntry> revokedEvents() {
        return raw.xrange(namespace + "gateway:session_events", "-", "+").stream()
                .filter(e -> e.getFields().get("status").equals("revoked")).toList();
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }

    @Test
    @DisplayName("mass logout: dry run, execute with the printed --expect, a second run revokes 0; audited and projected")
    void massLogout() throws Exception {
        List<DeviceSession> sessions = sessions(40, 2);

        Ran dry = run("sessions", "revoke-everyone", "--reason", "breach 2026-12");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("40 users with 80 active sessions");
        assertThat(sessions).allSatisfy(s -> assertThat(status(s)).isEqualTo(SessionStatus.ACTIVE));

        Ran execute = run("sessions", "revoke-everyone", "--reason", "breach 2026-12", "--execute", "--expect",
                group(EXPECT, dry.out()));
        assertThat(execute.exit()).as(execute.err()).isZero();
        assertThat(execute.out()).contains("revoked 80 sessions of 40 users");
        assertThat(sessions).allSatisfy(s -> {
            assertThat(status(s)).isEqualTo(SessionStatus.REVOKED);
            assertThat(raw.get(namespace + "gateway:session:" + s.id())).contains("\"status\":\"revoked\"",
                    "breach 2026-12");
        });
        assertThat(revokedEvents()).hasSize(80);
        List<StreamEntry> audit = raw.xrange(namespace + "authsession:audit", "-", "+");
        assertThat(audit).singleElement().satisfies(entry -> assertThat(entry.getFields())
                .containsEntry("operator", "it-operator").containsEntry("command", "sessions revoke-everyone")
                .containsEntry("reason", "breach 2026-12").containsEntry("outcome", "ok")
                .containsEntry("counts", "users=40 revoked=80 published=80"));
        assertThat(execute.out()).contains("audit time=", "operator=it-operator");

        Ran again = run("sessions", "revoke-everyone", "--reason", "breach 2026-12", "--execute", "--expect", "0");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("revoked 0 sessions");
        assertThat(revokedEvents()).hasSize(80);
    }

    @Test
    @DisplayName("SIGINT mid-run stops after the batch in flight with a --resume cursor; the resumed run revokes the rest")
    void interruptAndResume() throws Exception {
        assumeFalse(ServerProcess.interruptIgnored(), "SIGINT is ignored by whoever started this build (a background"
                + " job of a non-interactive shell), so no process it starts can be interrupted");
        List<DeviceSession> sessions = sessions(300, 1);
        Ran first;
        try (ServerProcess process = admin("sessions", "revoke-everyone", "--reason", "breach", "--execute",
                "--expect", "300", "--batch", "2", "--pause", "50ms")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (revokedEvents().size() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            process.signal("INT");
            int exit = process.awaitExit(Duration.ofSeconds(60));
            first = new Ran(exit, String.join("\n", process.stdout()), String.join("\n", process.stderr()));
        }
        assertThat(first.exit()).as(first.out() + first.err()).isEqualTo(130);
        assertThat(first.out()).contains("interrupted after");
        long revokedFirst = sessions.stream().filter(s -> status(s) == SessionStatus.REVOKED).count();
        assertThat(revokedFirst).isBetween(10L, 299L);
        assertThat(raw.xrange(namespace + "authsession:audit", "-", "+")).singleElement()
                .satisfies(e -> assertThat(e.getFields().get("outcome")).startsWith("interrupted resume="));

        Ran rest = run("sessions", "revoke-everyone", "--reason", "breach", "--execute", "--expect",
                group(EXPECT, first.out()), "--pause", "0", "--resume", group(RESUME, first.out()));
        assertThat(rest.exit()).as(rest.err()).isZero();
        assertThat(sessions).allSatisfy(s -> assertThat(status(s)).isEqualTo(SessionStatus.REVOKED));
        Map<String, Long> perSession = revokedEvents().stream().collect(Collectors.groupingBy(
                e -> e.getFields().get("device_session_id"), Collectors.counting()));
        assertThat(perSession).hasSize(300).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
    }

    @Test
    @DisplayName("audit of broken data exits 3; --repair fixes it and exits 0; the next audit exits 0")
    void auditAndRepair() throws Exception {
        List<DeviceSession> sessions = sessions(3, 1);
        assertThat(run("keys", "audit").exit()).isZero();
        String activeCopy = raw.get(namespace + "gateway:session:" + sessions.get(1).id());
        service.sessionStore().revoke(sessions.get(1).id(), "test", Instant.now(), RETENTION)
                .ifPresent(r -> service.projectionPublisher().publish(SessionSnapshot.of(r.session(), RETENTION)));
        raw.del(namespace + "authsession:{" + sessions.get(0).id().substring(0, 4) + "}:session:" + sessions.get(0).id());
        raw.set(namespace + "gateway:session:" + sessions.get(1).id(), activeCopy);
        raw.persist(namespace + "authsession:{" + sessions.get(2).id().substring(0, 4) + "}:session:"
                + sessions.get(2).id());

        Ran broken = run("keys", "audit");
        assertThat(broken.exit()).as(broken.out()).isEqualTo(3);
        assertThat(broken.out()).contains("dangling-index-entry", "snapshot-disagrees", "missing-ttl");

        Ran repaired = run("keys", "audit", "--repair");
        assertThat(repaired.exit()).as(repaired.out()).isZero();
        assertThat(repaired.out()).contains("0 left");
        Ran clean = run("keys", "audit");
        assertThat(clean.exit()).as(clean.out()).isZero();
        assertThat(raw.get(namespace + "gateway:session:" + sessions.get(1).id())).contains("\"status\":\"revoked\"");
        assertThat(raw.pttl(namespace + "authsession:{" + sessions.get(2).id().substring(0, 4) + "}:session:"
                + sessions.get(2).id())).isPositive();
    }

    @Test
    @DisplayName("config set of an invalid value exits 2 and leaves the hash as it was")
    void configSetInvalid() throws Exception {
        assertThat(run("config", "set", "challenge_ttl", "5m").exit()).isZero();
        Map<String, String> before = raw.hgetAll(namespace + "authsession:config");

        Ran invalid = run("config", "set", "challenge_ttl", "five minutes");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err().lines()).singleElement().asString().contains("challenge_ttl");
        assertThat(raw.hgetAll(namespace + "authsession:config")).isEqualTo(before)
                .containsExactly(Map.entry("challenge_ttl", "5m"));
    }

    @Test
    @DisplayName("--help of every command mentions each of its options")
    void help() throws Exception {
        StringWriter sink = new StringWriter();
        Map<List<String>, List<String>> commands = new LinkedHashMap<>();
        collect(AdminCommandSpecs.of(new PrintWriter(sink)), new ArrayList<>(), commands);
        assertThat(commands).hasSizeGreaterThan(15);
        for (Map.Entry<List<String>, List<String>> command : commands.entrySet()) {
            List<String> args = new ArrayList<>(command.getKey());
            args.add("--help");
            Ran help = run(args.toArray(String[]::new));
            assertThat(help.exit()).as(String.join(" ", args)).isZero();
            assertThat(help.out()).as(String.join(" ", args)).contains(command.getValue());
        }
    }

    private static void collect(CommandLine line, List<String> path, Map<List<String>, List<String>> into) {
        CommandSpec spec = line.getCommandSpec();
        List<String> options = spec.options().stream().map(OptionSpec::longestName).toList();
        into.put(List.copyOf(path), options);
        for (Map.Entry<String, CommandLine> sub : line.getSubcommands().entrySet()) {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            collect(sub.getValue(), subPath, into);
        }
    }

    /** The command tree as the jar builds it, read in this JVM to know every command and option. */
    static final class AdminCommandSpecs {
        static CommandLine of(PrintWriter sink) {
            return AdminCommand.commandLineForInspection(sink);
        }
    }
}
