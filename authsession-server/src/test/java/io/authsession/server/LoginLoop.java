package io.authsession.server;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A few threads logging in over and over against a server (send a code, then confirm it), each with addresses of its
 * own, paced so that a failing Redis does not turn them into a flood; every answer is recorded with its status and
 * duration. Bounded: each request has a timeout, {@link #close()} stops the threads.
 */
final class LoginLoop implements AutoCloseable {
    /** Pause between two logins of one thread. */
    private static final Duration PACE = Duration.ofMillis(20);
    /** Far beyond every Redis timeout of the tests: an answer this late counts as a hang. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** One answer: which step, its status (0 when there was none), and when it started and ended. */
    record Answer(String step, int status, long startedNanos, long endedNanos, Optional<String> sessionId) {
        Duration duration() {
            return Duration.ofNanos(endedNanos - startedNanos);
        }
    }

    private final TestServer server;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    LoginLoop(TestServer server, int threads) {
        this.server = server;
        for (int i = 0; i < threads; i++) {
            int thread = i;
            Thread worker = new Thread(() -> run(thread), "login-loop-" + i);
            worker.setDaemon(true);
            this.threads.add(worker);
        }
        this.threads.forEach(Thread::start);
    }

    private void run(int thread) {
        for (int i = 0; running.get(); i++) {
            String email = "loop-" + thread + "-" + i + "@example.com";
            long started = System.nanoTime();
            HttpResponse<String> sent = post("/api/v1/public/auth/send-email-code", "{\"email\":\"" + email + "\"}");
            answers.add(new Answer("send", status(sent), started, System.nanoTime(), Optional.empty()));
            if (status(sent) == 200) {
                String challengeId = JsonParser.parseString(sent.body()).getAsJsonObject().get("challenge_id")
                        .getAsString();
                long confirming = System.nanoTime();
                HttpResponse<String> confirmed = post("/api/v1/public/auth/confirm-email-code", "{\"challenge_id\":\""
                        + challengeId + "\",\"code\":\"" + server.services.codeFor(challengeId) + "\"}");
                Optional<String> sessionId = status(confirmed) == 200
                        ? Optional.of(JsonParser.parseString(confirmed.body()).getAsJsonObject()
                                .get("device_session_id").getAsString())
                        : Optional.empty();
                answers.add(new Answer("confirm", status(confirmed), confirming, System.nanoTime(), sessionId));
            }
            LockSupport.parkNanos(PACE.toNanos());
        }
    }

    private HttpResponse<String> post(String path, String body) {
        try {
            return server.send(HttpRequest.newBuilder(server.publicUrl(path)).timeout(REQUEST_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return null;
        }
    }

    private static int status(HttpResponse<String> response) {
        return response == null ? 0 : response.statusCode();
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** The sessions of every confirm answered 200. */
    List<String> confirmedSessions() {
        return answers.stream().flatMap(answer -> answer.sessionId().stream()).toList();
    }

    /**
     * Waits until {@code count} answers of {@code step} with status 200 started at or after {@code sinceNanos}, and
     * returns when the first of them ended.
     *
     * @throws AssertionError when that does not happen within {@code timeout}
     */
    long awaitSuccesses(String step, int count, long sinceNanos, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Answer> successes = answers.stream()
                    .filter(answer -> answer.step().equals(step) && answer.status() == 200
                            && answer.startedNanos() >= sinceNanos)
                    .toList();
            if (successes.size() >= count) {
                return successes.stream().mapToLong(Answer::endedNanos).min().orElseThrow();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        throw new AssertionError("fewer than " + count + " " + step + " answered 200 within " + timeout + "; answers: "
                + summary());
    }

    /** Statuses and counts, for failure messages and reports. */
    String summary() {
        return answers.stream().collect(java.util.stream.Collectors.groupingBy(
                answer -> answer.step() + " " + answer.status(), java.util.TreeMap::new,
                java.util.stream.Collectors.counting())).toString();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(REQUEST_TIMEOUT.plusSeconds(5).toMillis());
        }
    }
}
