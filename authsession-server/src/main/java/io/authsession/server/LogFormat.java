package io.authsession.server;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * One line per event on standard output: {@code <time> <LEVEL> <logger> <message>}. Our messages are key=value
 * pairs; a throwable is folded into the same line. Every library logs through java.util.logging here (Jedis via
 * slf4j-jdk14, Undertow via jboss-logging), so every line has this shape.
 */
final class LogFormat extends Formatter {
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

    /** Sends all logging to standard output in this format and quiets chatty libraries. */
    static synchronized void install() {
        LogManager manager = LogManager.getLogManager();
        manager.reset();
        Logger root = Logger.getLogger("");
        Handler handler = new StdoutHandler(System.out);
        handler.setFormatter(new LogFormat());
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        for (String quiet : new String[] {"org.xnio", "org.jboss", "io.undertow", "redis.clients", "okhttp3",
            "io.opentelemetry", "org.apache.commons.pool2"}) {
            Logger logger = Logger.getLogger(quiet);
            logger.setLevel(Level.WARNING);
            TUNED.add(logger);
        }
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

    /** Writes out whatever is buffered; called before the process halts. */
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

    /** A console handler on standard output that flushes every line (a container collects stdout). */
    private static final class StdoutHandler extends StreamHandler {
        StdoutHandler(PrintStream out) {
            super(out, new LogFormat());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
        }

        @Override
        public synchronized void close() {
            flush();
        }
    }
}
