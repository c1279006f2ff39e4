package io.authsession.server;

import static io.authsession.server.TestServer.errorCode;
import static io.authsession.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT §2.1 over real sockets: the answer to a send does not tell, by its time either, whether the address
 * exists, is blocked or is throttled. Services at a fixed latency (user 20 ms, mail 50 ms) make the difference
 * visible: inline, a throttled send answers about 70 ms sooner; with the answer time, every send answers at it.
 */
class SendTimingTest {
    private static final String SEND = "/api/v1/public/auth/send-email-code";
    private static final int ROUNDS = 12;

    private TestServer t;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private TestServer server(String answerTime) throws Exception {
        t = new TestServer(Map.of("AUTHSESSION_SEND_ANSWER_TIME", answerTime));
        t.services.latency(Duration.ofMillis(20), Duration.ofMillis(50));
        return t;
    }

    private HttpResponse<String> send(String email) throws Exception {
        return t.post(t.publicUrl(SEND), "{\"email\":\"" + email + "\"}");
    }

    private static long millis(Callable<HttpResponse<String>> call) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = call.call();
        assertThat(response.statusCode()).isEqualTo(200);
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Median answer times of sends for an existing, a blocked and a throttled address, interleaved. */
    private long[] medians() throws Exception {
        List<Long> existing = new ArrayList<>();
        List<Long> blocked = new ArrayList<>();
        List<Long> throttled = new ArrayList<>();
        send("warm-up@example.com");
        for (int round = 0; round < ROUNDS; round++) {
            String known = "known-" + UUID.randomUUID() + "@example.com";
            String barred = "barred-" + UUID.randomUUID() + "@example.com";
            String twice = "twice-" + UUID.randomUUID() + "@example.com";
            t.services.users.register(known);
            t.services.users.registerBlocked(barred);
            send(twice);
            existing.add(millis(() -> send(known)));
            blocked.add(millis(() -> send(barred)));
            throttled.add(millis(() -> send(twice)));
        }
        return new long[] {median(existing), median(blocked), median(throttled)};
    }

    @Test
    @DisplayName("inline (no answer time), the time of the answer tells a throttled or blocked address apart")
    void inlineLeaks() throws Exception {
        server("0");
        long[] medians = medians();
        assertThat(medians[0] - medians[2]).as("existing minus throttled, ms").isGreaterThan(40);
        assertThat(medians[0] - medians[1]).as("existing minus blocked, ms").isGreaterThan(25);
    }

    @Test
    @DisplayName("with an answer time, existing, blocked and throttled addresses answer alike, at the answer time")
    void answerTimeEqualises() throws Exception {
        server("150ms");
        long[] medians = medians();
        long spread = Math.max(medians[0], Math.max(medians[1], medians[2]))
                - Math.min(medians[0], Math.min(medians[1], medians[2]));
        assertThat(spread).as("spread of the medians (existing, blocked, throttled: %d, %d, %d ms)", medians[0],
                medians[1], medians[2]).isLessThan(15);
        assertThat(java.util.Arrays.stream(medians).min().orElseThrow()).as("no send answers before the answer time")
                .isGreaterThanOrEqualTo(150);
    }

    @Test
    @DisplayName("a delivery slower than the answer time is answered at it and carries on: the mail arrives later")
    void slowDeliveryCarriesOn() throws Exception {
        server("100ms");
        t.services.latency(Duration.ZERO, Duration.ofMillis(400));
        long started = System.nanoTime();
        HttpResponse<String> response = send("slow@example.com");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(millis).isLessThan(400);
        String challengeId = json(response).get("challenge_id").getAsString();
        // Polls until the mail service has the code: the delivery carried on after the answer.
        for (int i = 0; i < 200 && t.services.mail.codeFor(challengeId).isEmpty(); i++) {
            Thread.sleep(10);
        }
        HttpResponse<String> confirmed = t.confirm(challengeId, t.services.codeFor(challengeId));
        assertThat(confirmed.statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a delivery that fails before the answer time is 503, and the window is free for a retry")
    void earlyFailureIs503() throws Exception {
        server("300ms");
        t.services.latency(Duration.ZERO, Duration.ZERO);
        t.services.mailStatus(500);
        HttpResponse<String> failed = send("fails@example.com");
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(errorCode(failed)).isEqualTo("service_unavailable");
        assertThat(json(failed).keySet()).containsExactly("error");
        t.services.mailStatus(202);
        HttpResponse<String> retried = send("fails@example.com");
        assertThat(retried.statusCode()).isEqualTo(200);
        String challengeId = json(retried).get("challenge_id").getAsString();
        assertThat(t.services.mail.codeFor(challengeId)).isPresent();
    }
}
