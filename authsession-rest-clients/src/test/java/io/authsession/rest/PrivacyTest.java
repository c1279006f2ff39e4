package io.authsession.rest;

import static io.authsession.rest.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.DependencyUnavailableException;
import io.authsession.core.port.LoginCodeMail;
import io.authsession.core.port.MailSender;
import io.authsession.core.port.UserDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import mockwebserver3.MockWebServer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * E-mail addresses and codes never reach a log line or an exception message, even when a service echoes them in
 * its answers. Logs are captured through java.util.logging, where {@link System.Logger} writes by default.
 */
class PrivacyTest {
    private static final String ADDRESS = "secret.person+tag@example.com";
    private static final String CODE = "913370";
    private static final EmailAddress EMAIL = EmailAddress.parse(ADDRESS);
    private static final LoginCodeMail MAIL =
            new LoginCodeMail(EMAIL, CODE, "c-privacy", Instant.parse("2026-11-22T10:15:30Z"));
    private static final String ECHO = "{\"status\":\"" + ADDRESS + "\",\"user_id\":\"" + CODE + ADDRESS
            + "\",\"blocked\":\"" + ADDRESS + "\",\"error\":\"bad address " + ADDRESS + " code " + CODE + "\"}";

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level rootLevel;
    private MockWebServer server;
    private RestClients rest;
    private UserDirectory directory;
    private MailSender sender;

    @BeforeEach
    void start() {
        Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);

        server = TestHttp.startedServer();
        rest = RestClients.builder()
                .userServiceBaseUrl(TestHttp.baseUrl(server, "/"))
                .userServiceRequestTimeout(Duration.ofMillis(750))
                .mailServiceBaseUrl(TestHttp.baseUrl(server, "/"))
                .mailServiceRequestTimeout(Duration.ofMillis(750))
                .retryPause(Duration.ofMillis(10))
                .build();
        directory = rest.userDirectory().orElseThrow();
        sender = rest.mailSender().orElseThrow();
    }

    @AfterEach
    void stop() {
        rest.close();
        server.close();
        Logger root = Logger.getLogger("");
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    @Test
    @DisplayName("a retried resolve logs one key=value line without the address")
    void retryLine() {
        server.enqueue(json(503, ECHO));
        server.enqueue(json(200, "{\"status\":\"creatable\"}"));
        directory.resolveByEmail(EMAIL);

        assertThat(logLines()).anySatisfy(line -> assertThat(line)
                .contains("event=user_service_retry call=resolve-by-email attempt=1 cause=http_503"));
        assertThat(logLines()).noneSatisfy(line -> assertThat(line).containsAnyOf(ADDRESS, CODE));
    }

    @Test
    @DisplayName("resolve failures that echo the address keep it out of messages and logs")
    void resolveFailures() {
        server.enqueue(json(503, ECHO));
        server.enqueue(json(503, ECHO));
        assertPrivate(() -> directory.resolveByEmail(EMAIL));

        server.enqueue(json(200, ECHO));
        assertPrivate(() -> directory.resolveByEmail(EMAIL));

        server.enqueue(json(200, "not json: " + ADDRESS));
        assertPrivate(() -> directory.resolveByEmail(EMAIL));

        server.enqueue(TestHttp.slow(ECHO));
        server.enqueue(TestHttp.dropped());
        assertPrivate(() -> directory.resolveByEmail(EMAIL));
    }

    @Test
    @DisplayName("ensure and block failures that echo the address keep it out of messages and logs")
    void writeFailures() {
        server.enqueue(json(500, ECHO));
        assertPrivate(() -> directory.ensureByEmail(EMAIL));

        server.enqueue(json(200, ECHO));
        assertPrivate(() -> directory.ensureByEmail(EMAIL));

        server.enqueue(TestHttp.dropped());
        assertPrivate(() -> directory.ensureByEmail(EMAIL));

        server.enqueue(json(200, ECHO));
        assertPrivate(() -> directory.block("u1", "reported by " + ADDRESS));
    }

    @Test
    @DisplayName("mail failures keep the address and the code out of messages and logs")
    void mailFailures() {
        server.enqueue(json(503, ECHO));
        assertPrivate(() -> sender.sendLoginCode(MAIL));

        server.enqueue(json(400, ECHO));
        assertPrivate(() -> sender.sendLoginCode(MAIL));

        server.enqueue(TestHttp.slow(ECHO));
        assertPrivate(() -> sender.sendLoginCode(MAIL));

        server.enqueue(TestHttp.dropped());
        assertPrivate(() -> sender.sendLoginCode(MAIL));
    }

    private void assertPrivate(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(DependencyUnavailableException.class);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName())
                    .doesNotContain(ADDRESS, CODE);
            assertThat(t.toString()).doesNotContain(ADDRESS, CODE);
        }
        assertThat(logLines()).noneSatisfy(line -> assertThat(line).containsAnyOf(ADDRESS, CODE));
    }

    private List<String> logLines() {
        SimpleFormatter formatter = new SimpleFormatter();
        return records.stream().map(formatter::format).toList();
    }
}
