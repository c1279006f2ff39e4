package io.authsession.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The log line format and its writer: one whole line per record, out by the time flush returns. */
class LogFormatTest {

    private static LogRecord record(String message) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName("io.authsession.server.http");
        return record;
    }

    @Test
    @DisplayName("a line logged inside a span ends with its trace_id and span_id; outside one it has neither")
    void traceIds() {
        SpanContext context = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        String inside;
        try (Scope ignored = Span.wrap(context).makeCurrent()) {
            inside = new LogFormat().format(record("event=http_request status=200"));
        }
        String outside = new LogFormat().format(record("event=http_request status=200"));
        assertThat(inside).endsWith("server.http event=http_request status=200 trace_id=4bf92f3577b34da6a3ce929d0e0e4736"
                + " span_id=00f067aa0ba902b7" + System.lineSeparator());
        assertThat(outside).doesNotContain("trace_id");
    }

    @Test
    @DisplayName("lines from many threads come out whole, each once, all of them by the time flush returns")
    void asyncWriter() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Writes and reads of the buffer are synchronized on it.
        LogFormat.AsyncStdoutHandler handler = new LogFormat.AsyncStdoutHandler(out);
        int threads = 4;
        int perThread = 5_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread writer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    handler.publish(record("event=test writer=" + id + " n=" + i));
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join(30_000);
        }
        handler.flush();
        String[] lines;
        synchronized (out) {
            lines = out.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        }
        assertThat(lines).hasSize(threads * perThread);
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            assertThat(line).matches("\\S+ INFO  server\\.http event=test writer=\\d n=\\d+");
            seen.add(line.substring(line.indexOf("writer=")));
        }
        assertThat(seen).hasSize(threads * perThread);
    }

    @Test
    @DisplayName("AUTHSESSION_LOG_LEVEL: info by default, debug turns on the per-send lines, anything else is refused")
    void levels() throws Exception {
        assertThat(LogFormat.level(Map.of())).isEqualTo(Level.INFO);
        assertThat(LogFormat.level(Map.of("AUTHSESSION_LOG_LEVEL", "DEBUG"))).isEqualTo(Level.FINE);
        assertThat(LogFormat.level(Map.of("AUTHSESSION_LOG_LEVEL", "warn"))).isEqualTo(Level.WARNING);
        assertThat(LogFormat.level(Map.of("AUTHSESSION_LOG_LEVEL", "error"))).isEqualTo(Level.SEVERE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogFormat.level(Map.of("AUTHSESSION_LOG_LEVEL", "all")))
                .hasMessageStartingWith("AUTHSESSION_LOG_LEVEL: must be error, warn, info or debug");
    }
}
