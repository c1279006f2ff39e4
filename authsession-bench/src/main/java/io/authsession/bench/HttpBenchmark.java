package io.authsession.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server under HTTP load: its own process on the run's Redis, in {@code rest} mode for both outbound
 * services, which {@link FakeServices} plays in this JVM. For each flow: a closed-loop warm-up, a closed-loop run that
 * finds the saturation throughput, then open-loop runs at that rate and at half of it.
 */
final class HttpBenchmark {
    private static final Pattern CHALLENGE_ID = Pattern.compile("\"challenge_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern USER_ID = Pattern.compile("\"user_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final String SEND = "/api/v1/public/auth/send-email-code";
    private static final String CONFIRM = "/api/v1/public/auth/confirm-email-code";

    /** The settings of one HTTP run. */
    record Settings(Path serverJar, List<String> serverJvmArgs, int closedConnections, int openConnections,
            Duration warmUp, Duration phase, Path workDirectory, Duration serviceLatency) {}

    /** What one flow measured. */
    record FlowResult(String flow, String unit, LoadGenerator.Phase saturation, LoadGenerator.Phase atSaturation,
            LoadGenerator.Phase atHalf, long maxRssKiB, String firstError) {}

    /** The whole HTTP section. */
    record Result(Path jar, List<FlowResult> flows, long idleRssKiB, long peakRssKiB, int exitStatus, String jvmArgs,
            Path serverLog) {}

    private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final AtomicLong addresses = new AtomicLong();
    private final AtomicReferenceArray<String> users = new AtomicReferenceArray<>(50_000);
    private final AtomicInteger userCount = new AtomicInteger();

    Result run(BenchRedis redis, Settings settings) throws Exception {
        redis.flushAll();
        String token = "bench-" + run;
        int publicPort = ServerProcess.freePort();
        int internalPort = ServerProcess.freePort();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path log = settings.workDirectory().resolve("server.log");
        try (FakeServices fakes = new FakeServices(settings.serviceLatency())) {
            Map<String, String> env = Map.ofEntries(
                    Map.entry("AUTHSESSION_PUBLIC_HTTP_ADDR", "127.0.0.1:" + publicPort),
                    Map.entry("AUTHSESSION_INTERNAL_HTTP_ADDR", "127.0.0.1:" + internalPort),
                    Map.entry("AUTHSESSION_INTERNAL_API_TOKEN", token),
                    Map.entry("AUTHSESSION_CODE_HASH_KEY", Base64.getEncoder().encodeToString(key)),
                    Map.entry("AUTHSESSION_REDIS_ADDR", redis.address()),
                    Map.entry("AUTHSESSION_USER_SERVICE_MODE", "rest"),
                    Map.entry("AUTHSESSION_USER_SERVICE_BASE_URL", fakes.baseUrl()),
                    Map.entry("AUTHSESSION_USER_SERVICE_REQUEST_TIMEOUT", "5s"),
                    Map.entry("AUTHSESSION_MAIL_SERVICE_MODE", "rest"),
                    Map.entry("AUTHSESSION_MAIL_SERVICE_BASE_URL", fakes.baseUrl()),
                    Map.entry("AUTHSESSION_MAIL_SERVICE_REQUEST_TIMEOUT", "5s"),
                    // The fixed answer time (100ms by default) would cap a closed loop of 32 connections at 320 sends
                    // a second, whatever the server can do: capacity is measured without it.
                    Map.entry("AUTHSESSION_SEND_ANSWER_TIME", "0"));
            ServerProcess server = ServerProcess.start(settings.serverJar(), settings.serverJvmArgs(), env, log);
            try {
                server.awaitReady(publicPort, Duration.ofSeconds(60));
                long idleRss = server.rssKiB();
                LoadGenerator load = new LoadGenerator(Math.max(settings.closedConnections(), settings.openConnections()),
                        () -> new LoadGenerator.Worker(new HttpConnection("127.0.0.1", publicPort, null),
                                new HttpConnection("127.0.0.1", internalPort, "Bearer " + token)));
                List<FlowResult> flows = new ArrayList<>();
                try {
                    flows.add(flow(load, server, settings, "smoke (malformed send → 400)", "requests/s", this::smoke));
                    flows.add(flow(load, server, settings, "send-email-code", "requests/s", this::send));
                    flows.add(flow(load, server, settings, "login (send + confirm)", "logins/s",
                            worker -> login(worker, fakes)));
                    flows.add(flow(load, server, settings, "list sessions (1 session)", "requests/s", this::list));
                } finally {
                    load.close();
                }
                long peak = server.peakRssKiB();
                int exit = server.stop(Duration.ofSeconds(30));
                return new Result(settings.serverJar(), flows, idleRss, peak, exit, String.join(" ", settings.serverJvmArgs()), log);
            } finally {
                server.close();
            }
        }
    }

    private FlowResult flow(LoadGenerator load, ServerProcess server, Settings settings, String name, String unit,
            LoadGenerator.Operation op) throws InterruptedException {
        Main.progress("http: " + name);
        load.closedLoop(op, settings.closedConnections(), settings.warmUp());
        load.takeFirstError();
        server.takeMaxRssKiB();
        LoadGenerator.Phase saturation = load.closedLoop(op, settings.closedConnections(), settings.phase());
        LoadGenerator.Phase full = load.openLoop(op, saturation.throughput(), settings.phase());
        LoadGenerator.Phase half = load.openLoop(op, saturation.throughput() / 2, settings.phase());
        return new FlowResult(name, unit, saturation, full, half, server.takeMaxRssKiB(), load.takeFirstError());
    }

    private void smoke(LoadGenerator.Worker worker) throws IOException {
        expect(worker.publicApi.post(SEND, "{"), 400, "smoke");
    }

    private void send(LoadGenerator.Worker worker) throws IOException {
        sendCode(worker);
    }

    private String sendCode(LoadGenerator.Worker worker) throws IOException {
        String email = "h" + run + "-" + addresses.incrementAndGet() + "@bench.example.com";
        HttpConnection.Response answer = expect(worker.publicApi.post(SEND, "{\"email\":\"" + email + "\"}"), 200, "send");
        return group(CHALLENGE_ID, answer.body(), "challenge_id");
    }

    private void login(LoadGenerator.Worker worker, FakeServices fakes) throws IOException {
        String challengeId = sendCode(worker);
        String body = "{\"challenge_id\":\"" + challengeId + "\",\"code\":\"" + fakes.takeCode(challengeId)
                + "\",\"device_name\":\"bench\"}";
        String userId = group(USER_ID, expect(worker.publicApi.post(CONFIRM, body), 200, "confirm").body(), "user_id");
        int slot = userCount.getAndIncrement();
        if (slot < users.length()) {
            users.set(slot, userId);
        }
    }

    private void list(LoadGenerator.Worker worker) throws IOException {
        int known = Math.min(userCount.get(), users.length());
        if (known == 0) {
            throw new IllegalStateException("no user logged in during the login flow");
        }
        String userId = null;
        while (userId == null) { // a slot taken by a login that has not stored its user yet is skipped
            userId = users.get(ThreadLocalRandom.current().nextInt(known));
        }
        expect(worker.internalApi.get("/api/v1/internal/users/" + userId + "/sessions"), 200, "list");
    }

    private static HttpConnection.Response expect(HttpConnection.Response answer, int status, String what) {
        if (answer.status() != status) {
            throw new IllegalStateException(what + " answered " + answer.status() + " (expected " + status + "): "
                    + answer.body());
        }
        return answer;
    }

    private static String group(Pattern pattern, String body, String field) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + field + " in " + body);
        }
        return matcher.group(1);
    }
}
