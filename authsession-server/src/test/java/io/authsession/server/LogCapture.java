package io.authsession.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects every log record of the process while open (System.Logger writes to java.util.logging in tests). */
final class LogCapture extends Handler implements AutoCloseable {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    LogCapture() {
        setLevel(Level.ALL);
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** Every message, formatted as it would be logged, with the level in front. */
    List<String> lines() {
        return records.stream().map(r -> r.getLevel() + " " + new java.util.logging.SimpleFormatter().formatMessage(r)
                + (r.getThrown() == null ? "" : " thrown=" + r.getThrown())).toList();
    }

    /** Records at WARNING or above, or with an exception attached: what an operator would be paged or worried by. */
    List<String> alarming() {
        return records.stream()
                .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue() || r.getThrown() != null)
                .map(r -> r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage()
                        + (r.getThrown() == null ? "" : " thrown=" + r.getThrown()))
                .toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
