package io.authsession.server;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per event on standard output: {@code <time> <LEVEL> <logger> <message>}. Our messages are key=value
 * pairs; a throwable is folded into the same line; a line written while a span is current ends with its
 * {@code trace_id} and {@code span_id}. Every library logs through java.util.logging here (Jedis via slf4j-jdk14,
 * Undertow via jboss-logging, OpenTelemetry's console exporter), so every line has this shape.
 *
 * <p>Lines are formatted on the thread that logs (where the span is current) and written by one writer thread
 * ({@link AsyncStdoutHandler}): an access line per request no longer serialises the IO threads on one lock and one
 * {@code write} each. {@link #flush()} waits until every line logged before it is out.
 */
final class LogFormat extends Formatter {
    /** The variable naming the level of authsession's own lines: {@code error}, {@code warn}, {@code info}, {@code debug}. */
    static final String LOG_LEVEL = "AUTHSESSION_LOG_LEVEL";
    /** Lines waiting for the writer; past this the logging thread waits (a stalled standard output). */
    static final int QUEUE_CAPACITY = 16_384;

    private static final int MAX_FRAMES = 6;
    /** java.util.logging holds loggers weakly: without these references their levels would be forgotten. */
    private static final List<Logger> TUNED = new ArrayList<>();

    /**
     * Names {@link ShutdownSafeLogManager} as the log manager. Must run before anything touches java.util.logging.
     */
    static void selectLogManager() {
        System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        System.setProperty("org.jboss.logging.provider", "jdk");
    }

    /**
     * The level {@value #LOG_LEVEL} names (default {@code info}).
     *
     * @throws InvalidConfigurationException for any other value
     */
    static Level level(Map<String, String> env) throws InvalidConfigurationException {
        String raw = env.getOrDefault(LOG_LEVEL, "");
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "", "info" -> Level.INFO;
            case "debug" -> Level.FINE;
            case "warn", "warning" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> throw new InvalidConfigurationException(LOG_LEVEL,
                    "must be error, warn, info or debug, got '" + raw + "'");
        };
    }

    /** Sends all logging to standard output in this format at {@code INFO}, and quiets chatty libraries. */
    static void install() {
        install(Level.INFO);
    }

    /**
     * Sends all logging to standard output in this format, authsession's own lines from {@code level} up, and quiets
     * chatty libraries (warnings and errors only), except OpenTelemetry's console exporter, whose lines are the
     * spans and metrics an operator asked for with {@code OTEL_*_EXPORTER=console}.
     */
    static synchronized void install(Level level) {
        LogManager manager = LogManager.getLogManager();
        manager.reset();
        Logger root = Logger.getLogger("");
        Handler handler = new AsyncStdoutHandler(System.out);
        root.addHandler(handler);
        root.setLevel(level);
        for (String quiet : new String[] {"org.xnio", "org.jboss", "io.undertow", "redis.clients", "okhttp3",
            "io.opentelemetry", "org.apache.commons.pool2", "io.prometheus", "com.sun.net.httpserver", "sun.net"}) {
            Logger logger = Logger.getLogger(quiet);
            logger.setLevel(Level.WARNING);
            TUNED.add(logger);
        }
        Logger exporters = Logger.getLogger("io.opentelemetry.exporter.logging");
        exporters.setLevel(Level.INFO);
        TUNED.add(exporters);
        if (manager instanceof ShutdownSafeLogManager safe) {
            safe.configured = true;
        }
    }

    /**
     * A log manager that ignores {@code reset()} once configured. The JDK resets logging from a shutdown hook of its
     * own, racing ours: without this the lines of a graceful shutdown ("listener stopped") would be lost.
     */
    public static final class ShutdownSafeLogManager extends LogManager {
        private volatile boolean configured;

        @Override
        public void reset() {
            if (!configured) {
                super.reset();
            }
        }
    }

    /** Writes out every line logged so far (waiting a few seconds at most); called before the process halts. */
    static void flush() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.flush();
        }
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160)
                .append(Instant.ofEpochMilli(record.getMillis()))
                .append(' ')
                .append(level(record.getLevel()))
                .append(' ')
                .append(shortName(record.getLoggerName()))
                .append(' ')
                .append(formatMessage(record).replace('\n', ' ').replace('\r', ' '));
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            line.append(" trace_id=").append(span.getTraceId()).append(" span_id=").append(span.getSpanId());
        }
        if (record.getThrown() != null) {
            line.append(" error=\"").append(oneLine(record.getThrown())).append('"');
            StackTraceElement[] frames = record.getThrown().getStackTrace();
            line.append(" at=\"");
            for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
                line.append(i == 0 ? "" : " < ").append(frames[i]);
            }
            line.append('"');
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** A throwable and its causes on one line, quotes softened so the value stays one token. */
    static String oneLine(Throwable thrown) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (text.length() > 0) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString().replace('"', '\'').replace('\n', ' ').replace('\r', ' ');
    }

    private static String level(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            return "WARN ";
        }
        return level.intValue() >= Level.INFO.intValue() ? "INFO " : "DEBUG";
    }

    private static String shortName(String logger) {
        if (logger == null || logger.isEmpty()) {
            return "-";
        }
        return logger.startsWith("io.authsession.") ? logger.substring("io.authsession.".length()) : logger;
    }

    /**
     * A handler on standard output (a container collects stdout): the line is formatted on the logging thread, then
     * queued for one writer thread, which writes what is queued and flushes, then sleeps a moment. Logging threads
     * never wake the writer nor wait on a lock: an access line costs its formatting and a lock-free enqueue, and many
     * lines share one {@code write}. A line is out within {@value #BUSY_PAUSE_MILLIS} ms under load and
     * {@value #IDLE_PAUSE_MILLIS} ms when quiet; {@link #flush()} wakes the writer and waits for every line logged
     * before it. Past {@value #QUEUE_CAPACITY} waiting lines (a stalled standard output) a logging thread waits for
     * room rather than drop lines.
     */
    static final class AsyncStdoutHandler extends Handler {
        static final long BUSY_PAUSE_MILLIS = 2;
        static final long IDLE_PAUSE_MILLIS = 20;

        private final Queue<String> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicLong queued = new AtomicLong();
        private final Writer out;
        private final Thread writer;
        private final Object progress = new Object();
        /** Lines written and flushed; guarded by {@code progress}. */
        private long flushed;

        AsyncStdoutHandler(OutputStream stream) {
            setFormatter(new LogFormat());
            out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
            writer = new Thread(this::write, "log-writer");
            writer.setDaemon(true);
            writer.start();
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line;
            try {
                line = getFormatter().format(record);
            } catch (RuntimeException e) {
                reportError(null, e, ErrorManager.FORMAT_FAILURE);
                return;
            }
            while (waiting.get() >= QUEUE_CAPACITY) {
                LockSupport.unpark(writer);
                LockSupport.parkNanos(100_000);
            }
            waiting.incrementAndGet();
            // Counted before it is queued, so that a flush() that starts after this returns waits for the line.
            queued.incrementAndGet();
            queue.add(line);
        }

        private void write() {
            long written = 0;
            while (true) {
                int batch = 0;
                try {
                    String line;
                    while ((line = queue.poll()) != null) {
                        out.write(line);
                        batch++;
                    }
                    if (batch > 0) {
                        out.flush();
                    }
                } catch (IOException e) {
                    reportError(null, e, ErrorManager.WRITE_FAILURE);
                }
                if (batch > 0) {
                    waiting.addAndGet(-batch);
                    written += batch;
                    synchronized (progress) {
                        flushed = written;
                        progress.notifyAll();
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(batch > 0 ? BUSY_PAUSE_MILLIS : IDLE_PAUSE_MILLIS));
            }
        }

        @Override
        public void flush() {
            long target = queued.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            synchronized (progress) {
                while (flushed < target) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    LockSupport.unpark(writer);
                    try {
                        progress.wait(Math.max(1, Math.min(BUSY_PAUSE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
