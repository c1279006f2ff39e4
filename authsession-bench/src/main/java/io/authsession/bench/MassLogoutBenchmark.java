package io.authsession.bench;

import io.authsession.core.domain.DeviceSession;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.SessionSnapshot;
import io.authsession.redis.RedisAdapters;
import io.authsession.redis.RedisSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The mass logout ({@code admin sessions revoke-everyone}, CONTRACT §10) as an operator runs it: the packaged jar's
 * admin in its own process against users with one or two sessions each, while a login loop runs against the server at
 * a constant rate. Measures sessions revoked per second (from the admin's "revoking" line to its exit) and the login
 * loop's p99 during the run against the same loop without it.
 */
final class MassLogoutBenchmark {
    private static final Duration RETENTION = Duration.ofHours(720);
    private static final Pattern CHALLENGE_ID = Pattern.compile("\"challenge_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern EXPECT = Pattern.compile("--expect (\\d+)");
    private static final Pattern REVOKED = Pattern.compile("revoked (\\d+) sessions of (\\d+) users");
    private static final Duration SLICE = Duration.ofSeconds(1);

    /** The settings of one run. */
    record Settings(Path serverJar, int users, double loginRate, Duration baseline, int batch, String pause,
            Path workDirectory) {}

    /**
     * What one run measured.
     *
     * @param baseline the login loop without a mass logout
     * @param during the login loop's slices that ran entirely while the admin revoked
     */
    record Result(int users, long sessions, long revoked, double revokeSeconds, int adminExit, String adminCommand,
            double loginRate, LoadGenerator.Phase baseline, Histogram during, long duringLogins, long duringErrors,
            Duration seeding, String firstError, Path adminLog, long expect, double dryRunSeconds) {
        double sessionsPerSecond() {
            return revoked / revokeSeconds;
        }

        double duringP99Millis() {
            return during.getValueAtPercentile(99) / 1000.0;
        }

        double duringP50Millis() {
            return during.getValueAtPercentile(50) / 1000.0;
        }
    }

    private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final AtomicLong addresses = new AtomicLong();

    Result run(BenchRedis redis, Settings settings) throws Exception {
        redis.flushAll();
        Files.createDirectories(settings.workDirectory());
        Instant seedStart = Instant.now();
        long sessions = seed(redis, settings.users());
        Duration seeding = Duration.between(seedStart, Instant.now());
        Main.progress("logout: seeded " + settings.users() + " users with " + sessions + " sessions in "
                + seeding.toSeconds() + " s");

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        int publicPort = ServerProcess.freePort();
        try (FakeServices fakes = new FakeServices()) {
            Map<String, String> env = Map.ofEntries(
                    Map.entry("AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:" + publicPort),
                    Map.entry("AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:" + ServerProcess.freePort()),
                    Map.entry("AUTHSESSION_INTERNAL_API_TOKEN", "bench-" + run),
                    Map.entry("AUTHSESSION_CODE_HASH_KEY", Base64.getEncoder().encodeToString(key)),
                    Map.entry("AUTHSESSION_REDIS_ADDR", redis.address()),
                    Map.entry("AUTHSESSION_USER_SERVICE_MODE", "rest"),
                    Map.entry("AUTHSESSION_USER_SERVICE_BASE_URL", fakes.baseUrl()),
                    Map.entry("AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT", "5s"),
                    Map.entry("AUTHSESSION_MAIL_SERVICE_MODE", "rest"),
                    Map.entry("AUTHSESSION_MAIL_SERVICE_BASE_URL", fakes.baseUrl()),
                    Map.entry("AUTHSESSION_MAIL_SERVICE_REQUEST_TIMEOUT", "5s"),
                    // Without it every login would take the fixed 100ms answer time, which hides what Redis does.
                    Map.entry("AUTHSESSION_SEND_ANSWER_TIME", "0"));
            ServerProcess server = ServerProcess.start(settings.serverJar(), List.of(), env,
                    settings.workDirectory().resolve("server.log"));
            server.awaitReady(publicPort, Duration.ofSeconds(60));
            LoadGenerator load = new LoadGenerator(16, () -> new LoadGenerator.Worker(
                    new HttpConnection("127.0.0.1", publicPort, null), new HttpConnection("127.0.0.1", publicPort, null)));
            try {
                LoadGenerator.Operation login = worker -> login(worker, fakes);
                Main.progress("logout: login loop warm-up, then " + settings.baseline().toSeconds() + " s at "
                        + (long) settings.loginRate() + " logins/s without a mass logout");
                load.closedLoop(login, 4, Duration.ofSeconds(5));
                load.takeFirstError();
                LoadGenerator.Phase baseline = load.openLoop(login, settings.loginRate(), settings.baseline());

                Main.progress("logout: dry run");
                long dryStart = System.nanoTime();
                AdminRun dry = AdminRun.start(List.of(java(), "-jar", settings.serverJar().toString(), "admin",
                        "sessions", "revoke-everyone", "--reason", "bench"), adminEnv(env),
                        settings.workDirectory().resolve("admin-dry-run.log"));
                int dryExit = dry.process.waitFor();
                dry.join();
                double drySeconds = (System.nanoTime() - dryStart) / 1e9;
                Matcher expected = EXPECT.matcher(String.join("\n", dry.lines()));
                if (dryExit != 0 || !expected.find()) {
                    throw new IllegalStateException("the dry run failed (" + dryExit + "): " + dry.lines());
                }
                long expect = Long.parseLong(expected.group(1));
                List<String> command = new ArrayList<>(List.of(java(), "-jar", settings.serverJar().toString(), "admin",
                        "sessions", "revoke-everyone", "--reason", "bench", "--execute", "--expect",
                        Long.toString(expect), "--batch", Integer.toString(settings.batch()), "--pause",
                        settings.pause()));
                Main.progress("logout: " + String.join(" ", command.subList(3, command.size())) + ", with the login"
                        + " loop running");
                AdminRun admin = AdminRun.start(command, adminEnv(env), settings.workDirectory().resolve("admin.log"));
                List<Slice> slices = new ArrayList<>();
                while (admin.process.isAlive()) {
                    long from = System.nanoTime();
                    LoadGenerator.Phase phase = load.openLoop(login, settings.loginRate(), SLICE);
                    slices.add(new Slice(from, System.nanoTime(), phase));
                }
                int exit = admin.process.waitFor();
                admin.join();
                long revokingFrom = admin.revokingAt.get();
                long revokingTo = admin.exitedAt();
                Histogram during = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
                long logins = 0;
                long errors = 0;
                for (Slice slice : slices) {
                    if (revokingFrom > 0 && slice.from() >= revokingFrom && slice.to() <= revokingTo) {
                        during.add(slice.phase().latencies());
                        logins += slice.phase().completed();
                        errors += slice.phase().errors();
                    }
                }
                Matcher done = REVOKED.matcher(String.join("\n", admin.lines()));
                long revoked = done.find() ? Long.parseLong(done.group(1)) : -1;
                double seconds = revokingFrom > 0 ? (revokingTo - revokingFrom) / 1e9 : Double.NaN;
                String firstError = load.takeFirstError();
                server.stop(Duration.ofSeconds(30));
                return new Result(settings.users(), sessions, revoked, seconds, exit,
                        String.join(" ", command.subList(3, command.size())), settings.loginRate(), baseline, during,
                        logins, errors, seeding, firstError, settings.workDirectory().resolve("admin.log"), expect,
                        drySeconds);
            } finally {
                load.close();
                server.close();
            }
        }
    }

    private record Slice(long from, long to, LoadGenerator.Phase phase) {}

    /** The admin process, its output lines with the moment it began to revoke. */
    private record AdminRun(Process process, List<String> lines, AtomicLong revokingAt, AtomicLong exited,
            List<Thread> readers) {
        static AdminRun start(List<String> command, Map<String, String> env, Path log) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(name -> name.startsWith("AUTHSESSION_") || name.startsWith("OTEL_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicLong revokingAt = new AtomicLong();
            AtomicLong exited = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            for (java.io.InputStream stream : List.of(process.getInputStream(), process.getErrorStream())) {
                Thread reader = new Thread(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.startsWith("revoke-everyone: revoking")) {
                                revokingAt.compareAndSet(0, System.nanoTime());
                            }
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                }, "admin-output");
                reader.setDaemon(true);
                reader.start();
                readers.add(reader);
            }
            process.onExit().thenRun(() -> exited.set(System.nanoTime()));
            AdminRun run = new AdminRun(process, lines, revokingAt, exited, readers);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            process.onExit().thenRun(() -> {
                try {
                    Files.write(log, List.copyOf(lines));
                } catch (IOException e) {
                    // only the log is lost
                }
            });
            return run;
        }

        void join() {
            for (Thread reader : readers) {
                try {
                    reader.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        long exitedAt() {
            long at = exited.get();
            return at == 0 ? System.nanoTime() : at;
        }
    }

    /** Users {@code 0..n-1}, with one session each, two for every other user; each projected. */
    private static long seed(BenchRedis redis, int users) throws Exception {
        RedisSettings settings = RedisSettings.builder().host(redis.host()).port(redis.port()).poolSize(8).build();
        AtomicLong made = new AtomicLong();
        try (RedisAdapters adapters = RedisAdapters.create(settings, Clock.systemUTC(), RuntimeSettings.DEFAULTS)) {
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int part = t;
                parts.add(pool.submit(() -> {
                    List<SessionSnapshot> pending = new ArrayList<>();
                    for (int u = part; u < users; u += threads) {
                        String user = "mass-" + u;
                        for (int s = 0; s < 1 + u % 2; s++) {
                            DeviceSession session = DeviceSession.active(adapters.sessionStore().newSessionId(user),
                                    user, Instant.now(), RuntimeSettings.DEFAULTS, Optional.of("bench"), Optional.empty());
                            adapters.sessionStore().create(session, 0, RETENTION);
                            pending.add(SessionSnapshot.of(session, RETENTION));
                            made.incrementAndGet();
                        }
                        if (pending.size() >= 500) {
                            adapters.projectionPublisher().publishAll(pending);
                            pending.clear();
                        }
                    }
                    adapters.projectionPublisher().publishAll(pending);
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
            pool.shutdown();
        }
        return made.get();
    }

    private void login(LoadGenerator.Worker worker, FakeServices fakes) throws IOException {
        String email = "ml" + run + "-" + addresses.incrementAndGet() + "@bench.example.com";
        HttpConnection.Response sent = worker.publicApi.post("/api/v1/public/auth/send-email-code",
                "{\"email\":\"" + email + "\"}");
        if (sent.status() != 200) {
            throw new IllegalStateException("send answered " + sent.status() + ": " + sent.body());
        }
        Matcher id = CHALLENGE_ID.matcher(sent.body());
        if (!id.find()) {
            throw new IllegalStateException("no challenge_id in " + sent.body());
        }
        HttpConnection.Response confirmed = worker.publicApi.post("/api/v1/public/auth/confirm-email-code",
                "{\"challenge_id\":\"" + id.group(1) + "\",\"code\":\"" + fakes.takeCode(id.group(1)) + "\"}");
        if (confirmed.status() != 200) {
            throw new IllegalStateException("confirm answered " + confirmed.status() + ": " + confirmed.body());
        }
    }

    private static Map<String, String> adminEnv(Map<String, String> serverEnv) {
        Map<String, String> env = new java.util.HashMap<>(serverEnv);
        env.put("USER", "bench");
        return env;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
