package io.authsession.server.admin;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on standard error: a live bar when it is a terminal, else a plain line every few seconds (a log collector
 * or a CI job keeps those), each with what is done, the rate and the time left.
 */
abstract class Progress implements AutoCloseable {
    /** Where the work stands: {@code done} of {@code total} (0 when unknown), and what else to say. */
    abstract void update(long done, String extra);

    @Override
    public abstract void close();

    /** A progress display for a task of {@code total} {@code unit}s (0 when the total is unknown). */
    static Progress start(Context context, String task, String unit, long total) {
        return context.terminal ? new Bar(task, unit, total) : new Lines(context.err, context.clock, task, unit, total,
                context.progressInterval);
    }

    /** The live bar (me.tongfei progressbar), redrawn on standard error. */
    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(String task, String unit, long total) {
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total > 0 ? total : -1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(new FilterOutputStream(System.err) {
                        @Override
                        public void close() throws IOException {
                            flush(); // the bar's end must not close standard error
                        }
                    }, true)))
                    .setUnit(" " + unit, 1)
                    .setUpdateIntervalMillis(200)
                    .showSpeed()
                    .build();
        }

        @Override
        void update(long done, String extra) {
            bar.stepTo(done);
            bar.setExtraMessage(extra.isEmpty() ? "" : "  " + extra);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** A line every interval, and one at the end. */
    private static final class Lines extends Progress {
        private final PrintWriter err;
        private final Clock clock;
        private final String task;
        private final String unit;
        private final long total;
        private final Duration interval;
        private final Instant started;
        private Instant lastLine;
        private long done;
        private String extra = "";

        Lines(PrintWriter err, Clock clock, String task, String unit, long total, Duration interval) {
            this.err = err;
            this.clock = clock;
            this.task = task;
            this.unit = unit;
            this.total = total;
            this.interval = interval;
            this.started = clock.instant();
            this.lastLine = started;
        }

        @Override
        synchronized void update(long done, String extra) {
            this.done = done;
            this.extra = extra;
            Instant now = clock.instant();
            if (!now.isBefore(lastLine.plus(interval))) {
                lastLine = now;
                print(now);
            }
        }

        private void print(Instant now) {
            double seconds = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
            long rate = Math.round(done / seconds);
            StringBuilder line = new StringBuilder(task).append(": ").append(done);
            if (total > 0) {
                line.append('/').append(total);
            }
            line.append(' ').append(unit).append(", ").append(rate).append(' ').append(unit).append("/s");
            if (total > 0 && rate > 0 && done < total) {
                line.append(", about ").append(Text.duration(Duration.ofSeconds((total - done) / rate))).append(" left");
            }
            if (!extra.isEmpty()) {
                line.append(", ").append(extra);
            }
            err.println(line);
            err.flush();
        }

        @Override
        public synchronized void close() {
            print(clock.instant());
        }
    }
}
