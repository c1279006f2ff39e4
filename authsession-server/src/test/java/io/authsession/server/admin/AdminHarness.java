package io.authsession.server.admin;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.redis.RedisAdapters;
import io.authsession.server.OperatorEnvironment;
import io.authsession.testkit.RedisTestServer;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.RedisClient;

/**
 * The admin command line in process, on the shared test Redis under key names of its own, with the streams
 * captured; and the service's own adapters on the same names, to make sessions and look at what the commands did.
 */
final class AdminHarness implements AutoCloseable {
    static final String CODE_HASH_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=";
    static final Duration RETENTION = Duration.ofHours(720);

    final String namespace = "adm-" + UUID.randomUUID() + ":";
    final RedisTestServer server = RedisTestServer.shared();
    final Map<String, String> env = new HashMap<>();
    final RedisClient raw;
    private OperatorEnvironment.Connection service;

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    AdminHarness() {
        env.put("AUTHSESSION_REDIS_ADDR", server.host() + ":" + server.port());
        env.put("AUTHSESSION_REDIS_KEY_PREFIX", namespace + "authsession:");
        env.put("AUTHSESSION_GATEWAY_SESSION_KEY_PREFIX", namespace + "gateway:session:");
        env.put("AUTHSESSION_GATEWAY_SESSION_EVENTS_STREAM", namespace + "gateway:session_events");
        env.put("AUTHSESSION_CODE_HASH_KEY", CODE_HASH_KEY);
        env.put("USER", "tester");
        raw = RedisClient.create(server.host(), server.port());
    }

    String prefix() {
        return namespace + "authsession:";
    }

    String snapshotKey(String deviceSessionId) {
        return namespace + "gateway:session:" + deviceSessionId;
    }

    String stream() {
        return namespace + "gateway:session_events";
    }

    String auditStream() {
        return prefix() + "audit";
    }

    Result run(String... args) {
        return run("", () -> false, args);
    }

    Result run(String stdin, BooleanSupplier stop, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (Context context = new Context(env, new PrintWriter(out, true), new PrintWriter(err, true),
                new BufferedReader(new StringReader(stdin)), stop, false, Duration.ofHours(1), Clock.systemUTC())) {
            exit = AdminCommand.execute(args, context);
        }
        return new Result(exit, out.toString(), err.toString());
    }

    /** The service's side on the same names (as the server would build it). */
    OperatorEnvironment.Connection service() {
        if (service == null) {
            service = OperatorEnvironment.read(env).connect();
        }
        return service;
    }

    /** A session made as a confirm makes it (stored, then projected), active from now for the default lifetime. */
    DeviceSession session(String userId) {
        RedisAdapters redis = service().redis();
        DeviceSession session = DeviceSession.active(redis.sessionStore().newSessionId(userId), userId, Instant.now(),
                RuntimeSettings.DEFAULTS, Optional.of("laptop"), Optional.empty());
        redis.sessionStore().create(session, 0, RETENTION);
        redis.projectionPublisher().publish(SessionSnapshot.of(session, RETENTION));
        return session;
    }

    List<DeviceSession> sessions(int users, int each) {
        List<DeviceSession> made = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int s = 0; s < each; s++) {
                made.add(session("user-" + u));
            }
        }
        return made;
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        raw.close();
    }
}
