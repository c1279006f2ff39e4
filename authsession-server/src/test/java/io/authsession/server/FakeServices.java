package io.authsession.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.EnsuredUser;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.UserLookup;
import io.authsession.testkit.InMemoryUserDirectory;
import io.authsession.testkit.RecordingMailSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The user service (CONTRACT §6.1) and the mail service (§6.2) on one real HTTP server, answering from the
 * testkit's fakes. A fake's injected failure becomes a 503; {@link #holdNextResolve} keeps a request in flight.
 */
final class FakeServices extends Dispatcher implements AutoCloseable {
    final InMemoryUserDirectory users = new InMemoryUserDirectory();
    final RecordingMailSender mail = new RecordingMailSender();
    private final MockWebServer server = new MockWebServer();
    private final AtomicReference<CountDownLatch> resolveHold = new AtomicReference<>();
    private final java.util.List<CountDownLatch> holds = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CountDownLatch resolveArrived = new CountDownLatch(1);
    private volatile Duration userLatency = Duration.ZERO;
    private volatile Duration mailLatency = Duration.ZERO;
    private volatile int mailStatus = 202;

    FakeServices() {
        server.setDispatcher(this);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI baseUrl() {
        return URI.create("http://" + server.getHostName() + ":" + server.getPort() + "/");
    }

    /** The code mailed for the challenge. */
    String codeFor(String challengeId) {
        return mail.codeFor(challengeId).orElseThrow(() -> new AssertionError("no code mailed for " + challengeId));
    }

    /** The next resolve-by-email waits until {@code release} counts down. */
    void holdNextResolve(CountDownLatch release) {
        holds.add(release);
        resolveHold.set(release);
    }

    /** Every user service call takes {@code user}, every mail {@code mail}: services at a fixed latency. */
    void latency(Duration user, Duration mail) {
        this.userLatency = user;
        this.mailLatency = mail;
    }

    /** The mail service answers this status from now on (202 by default). */
    void mailStatus(int status) {
        this.mailStatus = status;
    }

    /** Waits until a resolve-by-email request has arrived. */
    boolean awaitResolve(Duration timeout) throws InterruptedException {
        return resolveArrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        List<String> path = request.getUrl().pathSegments();
        JsonObject body = JsonParser.parseString(request.getBody() == null ? "{}" : request.getBody().utf8())
                .getAsJsonObject();
        boolean toMail = path.equals(List.of("api", "v1", "mail", "login-code"));
        // A service's own latency: the fake answers no sooner (each connection has its own dispatcher thread).
        Thread.sleep((toMail ? mailLatency : userLatency).toMillis());
        try {
            if (path.equals(List.of("api", "v1", "users", "resolve-by-email"))) {
                resolveArrived.countDown();
                CountDownLatch hold = resolveHold.getAndSet(null);
                if (hold != null) {
                    hold.await(30, TimeUnit.SECONDS);
                }
                UserLookup lookup = users.resolveByEmail(EmailAddress.parse(body.get("email").getAsString()));
                JsonObject answer = new JsonObject();
                answer.addProperty("status", lookup.status().name().toLowerCase(Locale.ROOT));
                lookup.userId().ifPresent(id -> answer.addProperty("user_id", id));
                return json(200, answer);
            }
            if (path.equals(List.of("api", "v1", "users", "ensure-by-email"))) {
                EnsuredUser user = users.ensureByEmail(EmailAddress.parse(body.get("email").getAsString()));
                JsonObject answer = new JsonObject();
                answer.addProperty("user_id", user.userId());
                answer.addProperty("blocked", user.blocked());
                return json(200, answer);
            }
            if (path.size() == 5 && path.subList(0, 3).equals(List.of("api", "v1", "users")) && path.get(4).equals("block")) {
                users.block(path.get(3), body.get("reason").getAsString());
                JsonObject answer = new JsonObject();
                answer.addProperty("user_id", path.get(3));
                answer.addProperty("blocked", true);
                return json(200, answer);
            }
            if (toMail) {
                if (mailStatus >= 300) {
                    return new MockResponse.Builder().code(mailStatus).build();
                }
                mail.sendLoginCode(new LoginCodeMail(EmailAddress.parse(body.get("email").getAsString()),
                        body.get("code").getAsString(), body.get("challenge_id").getAsString(),
                        Instant.parse(body.get("expires_at").getAsString())));
                return new MockResponse.Builder().code(202).build();
            }
        } catch (DependencyUnavailableException e) {
            return new MockResponse.Builder().code(503).build();
        } catch (AuthSessionException e) {
            if (e.code() == ErrorCode.USER_NOT_FOUND) {
                return new MockResponse.Builder().code(404).build();
            }
            throw e;
        }
        return new MockResponse.Builder().code(404).build();
    }

    private static MockResponse json(int status, JsonObject body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body(body.toString()).build();
    }

    @Override
    public void close() {
        holds.forEach(CountDownLatch::countDown);
        server.close();
    }
}
